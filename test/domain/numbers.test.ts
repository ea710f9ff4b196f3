import { expect } from 'chai'
import { formatNumber } from '../../server/domain/numbers'

describe('numbers as the reader writes them', () => {
  it('when a number is shown in Armenian, then thousands are spaced and the decimal mark is a comma; in English, commas and a point', () => {
    expect(formatNumber(1_500_000, 'hy').replace(/\s/g, ' ')).to.equal('1 500 000')
    expect(formatNumber(6.5, 'hy')).to.equal('6,5')
    expect(formatNumber(1_500_000, 'en')).to.equal('1,500,000')
    expect(formatNumber(6.5, 'en')).to.equal('6.5')
    expect(formatNumber(2 / 3, 'en'), 'two decimals at most').to.equal('0.67')
  })
})
