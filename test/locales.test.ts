import { expect } from 'chai'
import en from '../locales/en.json'
import hy from '../locales/hy.json'

describe('locales', () => {
  it('when both catalogues are loaded, then they hold exactly the same keys', () => {
    expect(Object.keys(hy).sort()).to.deep.equal(Object.keys(en).sort())
  })

  it('when a message has placeholders, then its translation has the same ones', () => {
    const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort()
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(hy[key]), key).to.deep.equal(placeholders(en[key]))
    }
  })

  it('when a message is shown, then it is never empty', () => {
    for (const [key, value] of [...Object.entries(en), ...Object.entries(hy)]) expect(value.trim(), key).to.not.equal('')
  })
})
