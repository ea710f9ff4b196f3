import { expect } from 'chai'
import fc from 'fast-check'
import { romanise, searchKey } from '../../server/domain/transliteration'

describe('romanisation of Armenian names', () => {
  for (const [armenian, latin] of [
    ['Պետրոսյան', 'Petrosyan'],
    ['Երևան', 'Yerevan'],
    ['Ոսկանյան', 'Voskanyan'],
    ['Հովհաննիսյան', 'Hovhannisyan'],
    ['Ղազարյան', 'Ghazaryan'],
    ['Խաչատրյան', 'Khachatryan'],
    ['Ծատուրյան', 'Tsaturyan'],
    ['Ժիրայր', 'Zhirayr'],
    ['Գայանե', 'Gayane'],
    ['Նունե', 'Nune'],
    ['Աննա-Մարիա', 'Anna-Maria'],
    ['Էդուարդ', 'Eduard'],
    ['Օհանյան', 'Ohanyan'],
    ['ԵՐԵՄՅԱՆ', 'YeREMYAN'],
    ['Ալեքսանդր', 'Aleksandr'],
  ] as const) {
    it(`when "${armenian}" is romanised, then it reads "${latin}"`, () => {
      expect(romanise(armenian)).to.equal(latin)
    })
  }

  it('when text has no Armenian letters, then it is left as it is (property)', () => {
    fc.assert(fc.property(fc.string().filter((s) => !/[\u0531-\u0587]/.test(s)), (text) => {
      expect(romanise(text)).to.equal(text)
    }))
  })
})

describe('search keys', () => {
  it('when a name is typed in Armenian or in any usual Latin spelling, then the keys are the same', () => {
    for (const typed of ['Պետրոսյան', 'Petrosyan', 'Petrosian', 'PETROSIAN', 'petrosyan ']) expect(searchKey(typed), typed).to.equal('petrosyan')
    for (const typed of ['Խաչատրյան', 'Khachatryan', 'Khachatrian', 'Xachatryan']) expect(searchKey(typed), typed).to.equal('xachatryan')
    expect(searchKey('Ծատուրյան')).to.equal(searchKey('Tsaturian'))
    expect(searchKey('Ղազարյան')).to.equal(searchKey('Gazarian'))
  })
})
