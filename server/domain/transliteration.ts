/*
 * Armenian to Latin, as Armenian passports romanise names (the system the Passport and Visa Department
 * uses): ե is "ye" and ո is "vo" at the start of a word, ու is "u", և is "ev". Officers may edit the result.
 */
const LETTERS: Record<string, string> = {
  ա: 'a', բ: 'b', գ: 'g', դ: 'd', ե: 'e', զ: 'z', է: 'e', ը: 'y', թ: 't', ժ: 'zh', ի: 'i', լ: 'l', խ: 'kh',
  ծ: 'ts', կ: 'k', հ: 'h', ձ: 'dz', ղ: 'gh', ճ: 'ch', մ: 'm', յ: 'y', ն: 'n', շ: 'sh', ո: 'o', չ: 'ch',
  պ: 'p', ջ: 'j', ռ: 'r', ս: 's', վ: 'v', տ: 't', ր: 'r', ց: 'ts', փ: 'p', ք: 'k', օ: 'o', ֆ: 'f', և: 'ev',
}

const ARMENIAN_LETTER = /[\u0531-\u0556\u0561-\u0587]/

export function hasArmenianLetters(text: string): boolean {
  return ARMENIAN_LETTER.test(text)
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1)
}

export function romanise(text: string): string {
  const characters = [...text]
  let out = ''
  for (let i = 0; i < characters.length; i += 1) {
    const original = characters[i]
    const letter = original.toLowerCase()
    if (!ARMENIAN_LETTER.test(original)) {
      out += original
      continue
    }
    const wordStart = i === 0 || !ARMENIAN_LETTER.test(characters[i - 1])
    let latin: string
    if (letter === 'ո' && characters[i + 1]?.toLowerCase() === 'ւ') {
      latin = 'u'
      i += 1
    } else if (letter === 'ե' && wordStart) latin = 'ye'
    else if (letter === 'ո' && wordStart) latin = 'vo'
    else latin = LETTERS[letter] ?? original
    out += original !== letter ? capitalise(latin) : latin
  }
  return out
}

/**
 * A spelling-independent key for finding names: what people type in Latin letters varies (Petrosian,
 * Petrosyan; Hovhannisyan, Hovannisian), so both the stored name and the query are reduced the same way.
 */
export function searchKey(text: string): string {
  const latin = (hasArmenianLetters(text) ? romanise(text) : text).toLowerCase()
  return latin
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/i(?=[aeou])/g, 'y')
    .replace(/kh/g, 'x')
    .replace(/gh/g, 'g')
    .replace(/ts/g, 'c')
    .replace(/tz/g, 'c')
    .replace(/dz/g, 'z')
    .replace(/w/g, 'v')
    .replace(/\s+/g, ' ')
    .trim()
}
