import { expect } from 'chai'
import fc from 'fast-check'
import { calendarFile, escapeText, foldLine, utcDateTime } from '../../server/domain/icalendar'

const unfold = (text: string) => text.replace(/\r\n /g, '')

describe('contacts: the .ics file format (RFC 5545)', () => {
  it('when text has commas, semicolons, backslashes and line breaks, then they are escaped', () => {
    expect(escapeText('Office, room 3; ask at C:\\desk\nsecond line\r\nthird')).to.equal('Office\\, room 3\\; ask at C:\\\\desk\\nsecond line\\nthird')
  })

  it('when a line is longer than 75 octets, then it is folded with CRLF and a space, never inside a character', () => {
    const armenian = `LOCATION:${'Երևան, Աբովյան փողոց 1, բնակարան 25, '.repeat(4)}`
    const folded = foldLine(armenian)
    const physical = folded.split('\r\n')
    expect(physical.length).to.be.greaterThan(1)
    for (const line of physical) {
      expect(Buffer.byteLength(line, 'utf8')).to.be.at.most(75)
      // Every piece is whole UTF-8: decoding and encoding it again gives the same bytes.
      expect(Buffer.from(Buffer.from(line, 'utf8').toString('utf8'), 'utf8').equals(Buffer.from(line, 'utf8'))).to.equal(true)
    }
    physical.slice(1).forEach((line) => expect(line.startsWith(' ')).to.equal(true))
    expect(unfold(folded)).to.equal(armenian)
    expect(foldLine('SUMMARY:short')).to.equal('SUMMARY:short')
  })

  it('when any line is folded, then no physical line exceeds 75 octets and unfolding gives it back', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (text) => {
        const folded = foldLine(`DESCRIPTION:${text}`)
        for (const line of folded.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).to.be.at.most(75)
        expect(unfold(folded)).to.equal(`DESCRIPTION:${text}`)
      }),
    )
  })

  it('when an event is written, then it is one VEVENT in a VCALENDAR with CRLF line endings and UTC times', () => {
    const file = calendarFile({
      uid: 'appointment-7@probation-back-office',
      sequence: 2,
      stamp: new Date('2030-01-10T08:00:05.123Z'),
      start: new Date('2030-01-15T06:30:00Z'),
      end: new Date('2030-01-15T07:30:00Z'),
      summary: 'ԱՐ-2030-0007 · Այց բնակության վայր',
      location: 'Արտաշատ, Օգոստոսի 23, 5',
      description: null,
      cancelled: false,
    })
    expect(file.endsWith('\r\n')).to.equal(true)
    expect(file.replace(/\r\n/g, '')).not.to.match(/[\r\n]/)
    const lines = unfold(file).split('\r\n').slice(0, -1)
    expect(lines).to.deep.equal([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Probation Service of Armenia//Back office//HY',
      'CALSCALE:GREGORIAN',
      'METHOD:PUBLISH',
      'BEGIN:VEVENT',
      'UID:appointment-7@probation-back-office',
      'SEQUENCE:2',
      'DTSTAMP:20300110T080005Z',
      'DTSTART:20300115T063000Z',
      'DTEND:20300115T073000Z',
      'SUMMARY:ԱՐ-2030-0007 · Այց բնակության վայր',
      'LOCATION:Արտաշատ\\, Օգոստոսի 23\\, 5',
      'STATUS:CONFIRMED',
      'END:VEVENT',
      'END:VCALENDAR',
    ])
    expect(utcDateTime(new Date('2030-12-31T23:59:59.999Z'))).to.equal('20301231T235959Z')
  })
})
