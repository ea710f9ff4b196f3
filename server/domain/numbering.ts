/** Personal file numbers: region prefix, year, and a gapless sequence within both, e.g. ԱՐ-2026-0001. */
export function personalFileNumber(prefix: string, year: number, sequence: number): string {
  return `${prefix}-${year}-${String(sequence).padStart(4, '0')}`
}

export const PERSONAL_FILE_NUMBER = /^([\u0531-\u0556]{1,4})-(\d{4})-(\d{4,})$/

export function looksLikePersonalFileNumber(text: string): boolean {
  return PERSONAL_FILE_NUMBER.test(text.trim().toUpperCase())
}
