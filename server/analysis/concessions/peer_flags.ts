// Peers and outliers: each concession against the concessions of the same type in the same region.
// The flag is a robust rule, median + k x MAD of the loss rate during the contract (MAD scaled by
// 1.4826 so that it estimates the standard deviation for normal data), with k = 3 by default and
// adjustable; groups of fewer than 5 peers flag nothing, since a median of 4 says little.

export interface PeerInput {
  id: number;
  group: string;
  rate: number | null;
}

export interface PeerResult {
  /** 1 = highest loss rate in the group. */
  rank: number | null;
  groupSize: number;
  /** Share of the group with a lower rate, 0..100. */
  percentile: number | null;
  groupMedian: number | null;
  groupMad: number | null;
  threshold: number | null;
  flagged: boolean;
}

export const MIN_GROUP = 5;
const MAD_SCALE = 1.4826;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function peerFlags(items: PeerInput[], k = 3): Map<number, PeerResult> {
  const groups = new Map<string, PeerInput[]>();
  for (const it of items) (groups.get(it.group) ?? groups.set(it.group, []).get(it.group)!).push(it);
  const out = new Map<number, PeerResult>();
  for (const members of groups.values()) {
    const rated = members.filter((m) => m.rate !== null) as (PeerInput & { rate: number })[];
    const rates = rated.map((m) => m.rate);
    const med = rates.length ? median(rates) : null;
    const mad = med !== null ? median(rates.map((r) => Math.abs(r - med))) * MAD_SCALE : null;
    const threshold = med !== null && mad !== null && rated.length >= MIN_GROUP ? med + k * mad : null;
    const ordered = [...rated].sort((a, b) => b.rate - a.rate);
    for (const m of members) {
      const rank = m.rate === null ? null : ordered.findIndex((o) => o.id === m.id) + 1;
      const lower = m.rate === null ? 0 : rates.filter((r) => r < m.rate!).length;
      out.set(m.id, {
        rank,
        groupSize: rated.length,
        percentile: m.rate === null || rated.length === 0 ? null : Math.round((lower / rated.length) * 1000) / 10,
        groupMedian: med,
        groupMad: mad,
        threshold,
        // Strictly above, and above zero: with most peers at zero loss the MAD is zero, and any loss
        // at all is then unusual among them.
        flagged: threshold !== null && m.rate !== null && m.rate > threshold && m.rate > 0,
      });
    }
  }
  return out;
}

/** Why a concession is flagged, in words, English and Spanish. */
export function flagReason(rate: number, p: PeerResult, type: string, region: string, k: number): { en: string; es: string } {
  const f = (v: number) => v.toFixed(2);
  return {
    en: `Loss rate during the contract ${f(rate)} %/yr, above the ${type} concessions of ${region} (median ${f(p.groupMedian!)} %/yr + ${k} x MAD ${f(p.groupMad!)} = ${f(p.threshold!)} %/yr); rank ${p.rank} of ${p.groupSize}.`,
    es: `Tasa de pérdida durante el contrato ${f(rate)} %/año, por encima de las concesiones ${type} de ${region} (mediana ${f(p.groupMedian!)} %/año + ${k} x MAD ${f(p.groupMad!)} = ${f(p.threshold!)} %/año); puesto ${p.rank} de ${p.groupSize}.`,
  };
}
