import nodemailer from 'nodemailer'
import type { Mailer } from '../services/reminders'

/** E-mail through the configured SMTP server; without one the app sends nothing. */
export function smtpMailer(smtpUrl: string | null, from: string): Mailer | null {
  if (!smtpUrl) return null
  const transport = nodemailer.createTransport(smtpUrl)
  return {
    async send(message) {
      await transport.sendMail({ from, ...message })
    },
  }
}
