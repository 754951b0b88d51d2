import cliProgress from 'cli-progress';

export interface ProgressReporter {
  update(p: { read: number; total: number; features: number }): void;
  stop(): void;
}

/** A progress bar on a terminal; plain lines (at most one per 5 %) when output goes to a file or CI. */
export function createProgressReporter(label: string, stream: NodeJS.WriteStream = process.stderr, unit = 'features'): ProgressReporter {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {percentage}% | {features} ${unit} | {eta_formatted} left`, stream, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(p) {
        if (!started) {
          bar.start(Math.max(1, p.total), 0, { features: 0 });
          started = true;
        }
        bar.update(Math.min(p.read, p.total), { features: p.features });
      },
      stop: () => started && bar.stop(),
    };
  }
  let lastStep = -1;
  return {
    update(p) {
      const step = Math.floor((p.read / Math.max(1, p.total)) * 20);
      if (step === lastStep) return;
      lastStep = step;
      stream.write(`${label}: ${Math.round((p.read / Math.max(1, p.total)) * 100)}% (${p.features} ${unit})\n`);
    },
    stop: () => undefined,
  };
}
