/**
 * A number as the reader writes it: in Armenian a space between thousands and the decimal comma ("1 500 000", "6,5"),
 * in English "1,500,000" and "6.5". At most two decimals (hours and drams need no more).
 */
export function formatNumber(value: number, language: 'hy' | 'en'): string {
  return value.toLocaleString(language === 'hy' ? 'hy-AM' : 'en-GB', { maximumFractionDigits: 2 })
}
