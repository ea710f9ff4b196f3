/** Personal file numbers: region prefix, year, and a gapless sequence within both, e.g. ԱՐ-2026-0001. */
export function personalFileNumber(prefix: string, year: number, sequence: number): string {
  return `${prefix}-${year}-${String(sequence).padStart(4, '0')}`
}
