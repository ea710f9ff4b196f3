import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import path from 'node:path'

/*
 * The app and the scripts as the server runs them: one node process each (TypeScript through tsx's loader, so that a
 * signal reaches the program itself and not a wrapper), with the environment a test gives.
 */
const ROOT = path.join(__dirname, '..', '..')

/** A TypeScript program of the project (`server/index.ts`, `scripts/…`) started with some environment. */
export function startProgram(file: string, args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, file), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  return { child, output: () => output }
}

/** Runs a program to its end: its exit code and everything it wrote. */
export async function runProgram(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const { child, output } = startProgram(file, args, env)
  const [code] = (await once(child, 'exit')) as [number | null]
  return { code, output: output() }
}

/** Starts the app and resolves once it logs that it is ready; rejects with its output if it exits first. */
export function startApp(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const { child, output } = startProgram('server/index.ts', [], env)
    const check = () => {
      if (output().includes('"msg":"ready"')) resolve(child)
    }
    child.stdout!.on('data', check)
    child.stderr!.on('data', check)
    child.once('exit', (code) => reject(new Error(`the app exited (${code}) before it was ready:\n${output().slice(-2000)}`)))
  })
}
