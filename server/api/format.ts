// Numbers and dates as each language writes them, shared by the client and the server's printable
// pages. English: 1,234.5 and 2.43%. Spanish: 1.234,5 and 2,43 % (grouping from four digits, as
// Peru's official Spanish documents write figures). Machine-readable outputs (CSV, JSON) never
// go through here.
export type DisplayLang = 'en' | 'es';

const locales: Record<DisplayLang, string> = { en: 'en-US', es: 'es-ES' };
const cache = new Map<string, Intl.NumberFormat>();

function numberFormat(lang: DisplayLang, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${lang}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    // 'always': Spanish would otherwise write 1234 but 12.345 (CLDR's minimum grouping of two).
    f = new Intl.NumberFormat(locales[lang], { useGrouping: 'always', ...options } as Intl.NumberFormatOptions);
    cache.set(key, f);
  }
  return f;
}

/** A number with at most `maxDigits` decimals (and at least `minDigits`). */
export function formatNumber(lang: DisplayLang, value: number, maxDigits = 0, minDigits = 0): string {
  return numberFormat(lang, { maximumFractionDigits: maxDigits, minimumFractionDigits: Math.min(minDigits, maxDigits) }).format(value);
}

/** Hectares: whole above 10, one decimal below (small areas keep their size). */
export function formatHectares(lang: DisplayLang, value: number): string {
  return `${formatNumber(lang, value, Math.abs(value) < 10 ? 1 : 0)} ha`;
}

/** A share (0..1) as a percentage: 0.0243 -> "2.43%" / "2,43 %". */
export function formatShare(lang: DisplayLang, fraction: number, maxDigits = 0): string {
  return numberFormat(lang, { style: 'percent', maximumFractionDigits: maxDigits }).format(fraction);
}

/** An ISO date (YYYY-MM-DD) as a day: "Mar 15, 2012" / "15 mar 2012". */
export function formatDate(lang: DisplayLang, isoDate: string): string {
  return new Date(`${isoDate.slice(0, 10)}T00:00:00Z`).toLocaleDateString(locales[lang], { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' });
}

/** A month of an ISO date: "Mar 2012" / "mar 2012". */
export function formatMonth(lang: DisplayLang, isoDate: string): string {
  return new Date(`${isoDate.slice(0, 10)}T00:00:00Z`).toLocaleDateString(locales[lang], { timeZone: 'UTC', year: 'numeric', month: 'short' });
}

/** A moment (ISO date-time) in the reader's time zone, to the minute. */
export function formatDateTime(lang: DisplayLang, iso: string): string {
  return new Date(iso).toLocaleString(locales[lang], { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** A moment in UTC as a long date and time (printed reports, read anywhere): "November 30, 2026 at 2:37 PM" / "30 de noviembre de 2026, 14:37". */
export function formatDateTimeUtc(lang: DisplayLang, iso: string): string {
  return new Date(iso).toLocaleString(locales[lang], { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
}

/** "1 site" / "2 sites", "1 sitio" / "2 sitios": the count with the word in its plural form (CLDR rules). */
export function formatCount(lang: DisplayLang, n: number, forms: { one: string; other: string }): string {
  const rule = new Intl.PluralRules(locales[lang]).select(n);
  return `${formatNumber(lang, n)} ${rule === 'one' ? forms.one : forms.other}`;
}

/** A size in bytes, decimal units as browsers and phones report storage: "3.4 MB" / "3,4 MB", "820 kB". */
export function formatBytes(lang: DisplayLang, bytes: number): string {
  if (bytes < 1e6) return `${formatNumber(lang, Math.max(1, Math.round(bytes / 1e3)))} kB`;
  if (bytes < 1e9) return `${formatNumber(lang, bytes / 1e6, bytes < 1e7 ? 1 : 0)} MB`;
  return `${formatNumber(lang, bytes / 1e9, 1)} GB`;
}

/** User-written text in the reader's language: the Spanish where there is one, else the English. */
export function localized(lang: DisplayLang, en: string, es: string | null | undefined): string {
  return lang === 'es' && es ? es : en;
}
