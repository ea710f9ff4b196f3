import fs from 'node:fs'
import path from 'node:path'
import { localesDir } from './paths'

export const LANGUAGES = ['hy', 'en'] as const
export type Language = (typeof LANGUAGES)[number]
export const DEFAULT_LANGUAGE: Language = 'hy'

type Messages = Record<string, string>

function load(language: Language): Messages {
  return JSON.parse(fs.readFileSync(path.join(localesDir, `${language}.json`), 'utf8')) as Messages
}

const catalogues: Record<Language, Messages> = { hy: load('hy'), en: load('en') }

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value)
}

export type Translate = (key: string, params?: Record<string, string | number>) => string

/** A translator for one language; a missing key shows itself rather than an empty label. */
export function translator(language: Language): Translate {
  const messages = catalogues[language]
  return (key, params) => {
    const template = messages[key] ?? catalogues[DEFAULT_LANGUAGE][key] ?? key
    return params ? template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole)) : template
  }
}
