/** Personal file numbers: region prefix, year, and a gapless sequence within both, e.g. ԱՐ-2026-0001. */
export function personalFileNumber(prefix: string, year: number, sequence: number): string {
  return `${prefix}-${year}-${String(sequence).padStart(4, '0')}`
}

/** Which register a number belongs to, and the letter it carries: Մ for մտից (incoming), Ե for ելից (outgoing). */
export const REGISTER_MARKS = { IN: 'Մ', OUT: 'Ե' } as const
export type Register = keyof typeof REGISTER_MARKS

/** Register numbers: region prefix, register mark, year and a gapless sequence, e.g. ԱՐ-Մ-2026-0001. */
export function registerNumber(prefix: string, register: Register, year: number, sequence: number): string {
  return `${prefix}-${REGISTER_MARKS[register]}-${year}-${String(sequence).padStart(4, '0')}`
}
