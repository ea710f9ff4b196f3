import fs from 'node:fs'
import path from 'node:path'

// The same code runs from server/ (tsx) and from dist/server/ (compiled): find the root by its package.json.
function findProjectRoot(start: string): string {
  let dir = start
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir)
    if (parent === dir) throw new Error('package.json not found above ' + start)
    dir = parent
  }
  return dir
}

export const projectRoot = findProjectRoot(__dirname)
export const viewsDir = path.join(projectRoot, 'views')
export const localesDir = path.join(projectRoot, 'locales')
export const publicDir = path.join(projectRoot, 'public')
