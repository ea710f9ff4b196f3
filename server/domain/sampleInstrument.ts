/*
 * The sample instrument shipped with the application so the demo works end to end (docs/rules.md): read from its
 * data file through the same validation as an imported file, once. Like the other data files it is read from
 * the source tree, which a build run from dist/ still has (see paths.ts).
 */
import fs from 'node:fs'
import path from 'node:path'
import { projectRoot } from '../paths'
import { formatProblem, parseInstrument, type Instrument } from './instruments'

export const SAMPLE_INSTRUMENT_FILE = path.join(projectRoot, 'server', 'domain', 'data', 'instruments', 'sample-rna-v1.json')

let sample: Instrument | undefined

export function sampleInstrument(): Instrument {
  if (!sample) {
    const parsed = parseInstrument(fs.readFileSync(SAMPLE_INSTRUMENT_FILE, 'utf8'))
    if (!parsed.ok) throw new Error(`${SAMPLE_INSTRUMENT_FILE} is not a valid instrument: ${parsed.problems.map((problem) => formatProblem(problem, 'en')).join(' ')}`)
    sample = parsed.instrument
  }
  return sample
}
