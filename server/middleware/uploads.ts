import type { RequestHandler } from 'express'
import multer from 'multer'
import { MAX_UPLOAD_BYTES } from '../domain/fileTypes'

declare module 'express-serve-static-core' {
  interface Request {
    /** Set when the upload was refused while reading it, so the form can say why. */
    uploadProblem?: 'tooLarge' | 'malformed'
  }
}

const UPLOAD_PATHS = /^\/(beneficiaries\/\d+\/documents|correspondence\/\d+\/attachments|instruments\/import)$/

/**
 * Reads multipart uploads (one file, kept in memory, since it goes to PostgreSQL) before the CSRF check,
 * which needs the form's token. Only signed-in users' posts to an upload path are read at all.
 */
export function documentUploads(): RequestHandler {
  // Browsers send file names as UTF-8 without saying so: Armenian names must not arrive as Latin-1 mojibake.
  const parse = multer({ storage: multer.memoryStorage(), defParamCharset: 'utf8', limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, parts: 12 } }).single('file')
  return (req, res, next) => {
    if (req.method !== 'POST' || !req.user || !UPLOAD_PATHS.test(req.path) || !req.is('multipart/form-data')) return next()
    parse(req, res, (error: unknown) => {
      if (error) req.uploadProblem = (error as { code?: string }).code === 'LIMIT_FILE_SIZE' ? 'tooLarge' : 'malformed'
      next()
    })
  }
}
