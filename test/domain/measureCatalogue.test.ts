import { readFileSync } from 'node:fs'
import path from 'node:path'
import { expect } from 'chai'
import fc from 'fast-check'
import { BENEFICIARY_CATEGORIES } from '../../server/domain/beneficiaryCatalogue'
import {
  COMPLETION_CONDITIONS,
  ELECTRONIC_MONITORING_DEVICES,
  electronicMonitoringCostAmd,
  EXECUTION_KINDS,
  FIELD_DEFINITIONS,
  FIELD_TYPES,
  FINE_CONVERSION_TO_PUBLIC_WORKS,
  isMeasureCode,
  MEASURE_CODES,
  MEASURE_GROUPS,
  measureType,
  registrationDeadlineRuleIds,
  REGISTRATION_DEADLINE_RULE_IDS,
  validateMeasureDetails,
  type MeasureCode,
  type MeasureField,
} from '../../server/domain/measureCatalogue'

const ARMENIAN_LETTER = /[\u0531-\u0556\u0561-\u0587]/

function textArbitrary(maxLength = 40): fc.Arbitrary<string> {
  return fc
    .oneof(fc.string({ minLength: 1, maxLength }), fc.constantFrom('Երևան, Աբովյան 1', 'խաղատներ', 'ամեն երկուշաբթի ներկայանալ'))
    .filter((text) => text.trim() !== '' && text.trim().length <= maxLength)
}

/** Any value the field accepts, drawn from its definition alone. */
function validValue(field: MeasureField): fc.Arbitrary<unknown> {
  switch (field.type) {
    case 'integer':
    case 'money':
      return fc.integer({ min: field.min ?? 0, max: field.max ?? 100_000_000 })
    case 'text':
      return textArbitrary()
    case 'textList':
      return fc.array(textArbitrary(), { minLength: 1, maxLength: 5 })
    case 'date':
      return fc
        .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
        .map((date) => date.toISOString().slice(0, 10))
    case 'boolean':
      return fc.boolean()
  }
}

function validDetails(code: MeasureCode): fc.Arbitrary<Record<string, unknown>> {
  const { fields } = measureType(code)
  const model = Object.fromEntries(fields.map((field) => [field.name, validValue(field)]))
  return fc.record(model, { requiredKeys: fields.filter((field) => field.required).map((field) => field.name) })
}

/** One fixed valid example, for tests that change a single field of it. */
function sample(code: MeasureCode): Record<string, unknown> {
  return fc.sample(validDetails(code), { numRuns: 1, seed: 42 })[0]
}

const WRONG_TYPES: Record<MeasureField['type'], unknown[]> = {
  integer: ['12', 1.5, true, Number.NaN, Number.POSITIVE_INFINITY],
  money: ['1000', 10.5, false, 2 ** 60],
  text: [12, true, ['text'], {}],
  textList: ['one item', [12], ['ok', ''], ['ok', '   '], {}],
  date: ['31.12.2026', '2026-02-30', '2026-1-5', 20261231, true],
  boolean: ['true', 1, 0, 'false'],
}

describe('measure catalogue', () => {
  it('when listed, then it holds exactly the measures docs/rules.md names, in its order', () => {
    expect(MEASURE_CODES).to.deep.equal([
      'FINE',
      'PUBLIC_WORKS',
      'DEPRIVATION_OF_RIGHT',
      'RESTRICTION_OF_LIBERTY',
      'CONDITIONAL_NON_APPLICATION',
      'CONDITIONAL_EARLY_RELEASE',
      'DEFERMENT',
      'RELEASE_FROM_SERVING',
      'HOUSE_ARREST',
      'ADMINISTRATIVE_SUPERVISION',
      'BAIL',
      'BAN_ON_VISITING_PLACES',
      'PSYCHOLOGICAL_HELP',
      'EDUCATIONAL_MEASURE',
    ])
  })

  it('when docs/rules.md is read, then every code, name, group and source matches its measures table word for word', () => {
    const rules = readFileSync(path.resolve(__dirname, '../../docs/rules.md'), 'utf8')
    const start = rules.indexOf('\n## Measures the regional body executes\n')
    const end = rules.indexOf('\n## Deadlines\n')
    expect(start, 'the measures heading').to.be.at.least(0)
    expect(end, 'the deadlines heading after it').to.be.greaterThan(start)
    const section = rules.slice(start, end)
    const rows = section
      .split('\n')
      .map((line) => /^\| `([A-Z_]+)` \| ([^|]+) \| ([^|]+) \| ([^|]+) \| ([^|]+) \|$/.exec(line.trim()))
      .filter((match) => match !== null)
    expect(rows.map((row) => row[1])).to.deep.equal(MEASURE_CODES)
    for (const [, code, hy, en, group, source] of rows) {
      const type = measureType(code as MeasureCode)
      expect(type.name, code).to.deep.equal({ hy, en })
      expect(MEASURE_GROUPS[type.group].name.en, code).to.equal(group)
      expect(type.source.text, code).to.equal(source)
    }
  })

  for (const code of MEASURE_CODES) {
    describe(`measure ${code}`, () => {
      const type = measureType(code)

      it('when read, then it carries its own code and both names, Armenian in Armenian letters', () => {
        expect(type.code).to.equal(code)
        expect(type.name.hy).to.match(ARMENIAN_LETTER)
        expect(type.name.en.trim()).to.not.equal('')
        expect(type.name.en).to.not.match(ARMENIAN_LETTER)
        expect(type.source.status).to.be.oneOf(['V', 'A'])
        expect(type.source.text.trim()).to.not.equal('')
      })

      it("when read, then its group is known and its beneficiary category is the group's", () => {
        expect(MEASURE_GROUPS).to.have.property(type.group)
        expect(BENEFICIARY_CATEGORIES).to.include(type.beneficiaryCategory)
        expect(type.beneficiaryCategory).to.equal(MEASURE_GROUPS[type.group].beneficiaryCategory)
      })

      it('when read, then it has fields with labels in both languages, coherent bounds and at least one required', () => {
        expect(type.fields.some((field) => field.required)).to.equal(true)
        expect(new Set(type.fields.map((field) => field.name)).size).to.equal(type.fields.length)
        for (const field of type.fields) {
          expect(FIELD_TYPES).to.include(field.type)
          expect(field.label.hy, field.name).to.match(ARMENIAN_LETTER)
          expect(field.label.en.trim(), field.name).to.not.equal('')
          expect(field, field.name).to.deep.include(FIELD_DEFINITIONS[field.name as keyof typeof FIELD_DEFINITIONS])
          if (field.min !== undefined || field.max !== undefined) expect(field.type, field.name).to.be.oneOf(['integer', 'money'])
          if (field.min !== undefined && field.max !== undefined) expect(field.min).to.be.at.most(field.max)
        }
      })

      it('when read, then its execution kind and completion condition are known ones', () => {
        expect(EXECUTION_KINDS).to.include(type.executionKind)
        expect(COMPLETION_CONDITIONS).to.include(type.completion)
        if (type.completion === 'endDateReached') {
          // Its end date must be computable from what the court set.
          const termFields = ['termMonths', 'termEndDate', 'probationPeriodMonths']
          expect(type.fields.some((field) => field.required && termFields.includes(field.name))).to.equal(true)
        }
      })

      it('when registered, then its deadlines follow the rule: fine, else act register, plus device and period end', () => {
        const ids = type.registrationDeadlines
        expect(ids.length).to.be.at.least(1)
        expect(new Set(ids).size).to.equal(ids.length)
        for (const id of ids) expect(REGISTRATION_DEADLINE_RULE_IDS).to.include(id)
        if (code === 'FINE') expect(ids).to.deep.equal(['FINE_ACT_REGISTER', 'FINE_PAYMENT'])
        else expect(ids[0]).to.equal('ACT_REGISTER')
        expect(ids.includes('EM_INSTALLATION')).to.equal(type.electronicMonitoring.use === 'required')
        expect(ids.includes('PERIOD_END_REPORT')).to.equal(type.group === 'PROBATION_PERIOD')
      })

      it('when monitored, then it names devices; when monitoring is optional, the court act says whether it was ordered', () => {
        const { use, devices } = type.electronicMonitoring
        expect(devices.length === 0).to.equal(use === 'none')
        for (const device of devices) expect(ELECTRONIC_MONITORING_DEVICES).to.have.property(device)
        const hasOrderedField = type.fields.some((field) => field.name === 'electronicMonitoringOrdered')
        expect(hasOrderedField).to.equal(use === 'optional')
      })

      it('when the details are any valid example, then they are accepted (property)', () => {
        fc.assert(
          fc.property(validDetails(code), (details) => {
            expect(validateMeasureDetails(code, details)).to.deep.equal([])
          }),
        )
      })

      for (const field of type.fields.filter((candidate) => candidate.required)) {
        it(`when ${field.name} is missing or blank, then it is refused as required`, () => {
          const without = sample(code)
          delete without[field.name]
          expect(validateMeasureDetails(code, without)).to.deep.equal([{ field: field.name, problem: 'required' }])
          for (const blank of [null, undefined, '', '   ', []]) {
            expect(validateMeasureDetails(code, { ...without, [field.name]: blank })).to.deep.equal([
              { field: field.name, problem: 'required' },
            ])
          }
        })
      }

      for (const field of type.fields) {
        it(`when ${field.name} has a value of the wrong type, then it is refused as type`, () => {
          for (const wrong of WRONG_TYPES[field.type]) {
            expect(validateMeasureDetails(code, { ...sample(code), [field.name]: wrong }), String(wrong)).to.deep.equal([
              { field: field.name, problem: 'type' },
            ])
          }
        })

        if (field.min !== undefined) {
          const { min } = field
          it(`when ${field.name} is below ${min}, then it is refused as min`, () => {
            fc.assert(
              fc.property(fc.integer({ min: -1_000_000, max: min - 1 }), (value) => {
                expect(validateMeasureDetails(code, { ...sample(code), [field.name]: value })).to.deep.equal([
                  { field: field.name, problem: 'min', limit: min },
                ])
              }),
            )
          })
        }
        if (field.max !== undefined) {
          const { max } = field
          it(`when ${field.name} is above ${max}, then it is refused as max`, () => {
            fc.assert(
              fc.property(fc.integer({ min: max + 1, max: max + 1_000_000 }), (value) => {
                expect(validateMeasureDetails(code, { ...sample(code), [field.name]: value })).to.deep.equal([
                  { field: field.name, problem: 'max', limit: max },
                ])
              }),
            )
          })
        }
        if (field.maxLength !== undefined) {
          const { maxLength } = field
          it(`when ${field.name} is longer than ${maxLength} characters, then it is refused as max`, () => {
            const long = 'ա'.repeat(maxLength + 1)
            const value = field.type === 'textList' ? ['short', long] : long
            expect(validateMeasureDetails(code, { ...sample(code), [field.name]: value })).to.deep.equal([
              { field: field.name, problem: 'max', limit: maxLength },
            ])
          })
        }
      }

      it("when the details carry a field the measure does not have, then it is refused as unknown", () => {
        expect(validateMeasureDetails(code, { ...sample(code), notAField: 1 })).to.deep.equal([{ field: 'notAField', problem: 'unknown' }])
      })
    })
  }

  it('when the details are not an object, then every required field is reported missing', () => {
    for (const details of [null, undefined, 'FINE', 42, [1, 2]]) {
      expect(validateMeasureDetails('FINE', details)).to.deep.equal([{ field: 'amountAmd', problem: 'required' }])
    }
  })

  it('when a fine is converted into public works, then 3 hours per minimum wage, 5 on malicious evasion, at most 2,200 hours', () => {
    expect(FINE_CONVERSION_TO_PUBLIC_WORKS).to.deep.include({ hoursPerMinimumWage: 3, hoursPerMinimumWageOnMaliciousEvasion: 5, maxHours: 2200 })
    expect(FINE_CONVERSION_TO_PUBLIC_WORKS.source.status).to.equal('V')
    expect(validateMeasureDetails('PUBLIC_WORKS', { hoursOrdered: 2200, convertedFromFine: true })).to.deep.equal([])
    expect(validateMeasureDetails('PUBLIC_WORKS', { hoursOrdered: 2201, convertedFromFine: true })).to.deep.equal([
      { field: 'hoursOrdered', problem: 'max', limit: 2200 },
    ])
  })

  it('when a bound is our assumption rather than law, then its source says so', () => {
    expect(measureType('PUBLIC_WORKS').fields.find((field) => field.name === 'hoursOrdered')?.boundsSource?.status).to.equal('A')
    expect(measureType('ADMINISTRATIVE_SUPERVISION').fields.find((field) => field.name === 'reportingPerWeek')?.boundsSource?.status).to.equal('V')
  })

  it('when monitoring is costed, then RF costs 1,331 AMD and GPS 1,438 AMD a day', () => {
    expect(ELECTRONIC_MONITORING_DEVICES.RF.dailyFeeAmd).to.equal(1331)
    expect(ELECTRONIC_MONITORING_DEVICES.GPS.dailyFeeAmd).to.equal(1438)
    expect(electronicMonitoringCostAmd('RF', 30)).to.equal(39_930)
    expect(electronicMonitoringCostAmd('GPS', 0)).to.equal(0)
  })

  it('when house arrest is ordered, then RF monitoring is required and its installation deadline starts', () => {
    expect(measureType('HOUSE_ARREST').electronicMonitoring).to.deep.equal({ use: 'required', devices: ['RF'] })
    expect(registrationDeadlineRuleIds('HOUSE_ARREST', {})).to.include('EM_INSTALLATION')
  })

  it('when administrative supervision is ordered, then the person reports 1 to 3 times a week, GPS only if the court ordered it', () => {
    const details = { reportingPerWeek: 3, termEndDate: '2027-03-31' }
    expect(validateMeasureDetails('ADMINISTRATIVE_SUPERVISION', details)).to.deep.equal([])
    expect(validateMeasureDetails('ADMINISTRATIVE_SUPERVISION', { ...details, reportingPerWeek: 4 })).to.deep.equal([
      { field: 'reportingPerWeek', problem: 'max', limit: 3 },
    ])
    expect(validateMeasureDetails('ADMINISTRATIVE_SUPERVISION', { ...details, reportingPerWeek: 0 })).to.deep.equal([
      { field: 'reportingPerWeek', problem: 'min', limit: 1 },
    ])
    expect(measureType('ADMINISTRATIVE_SUPERVISION').electronicMonitoring).to.deep.equal({ use: 'optional', devices: ['GPS'] })
    expect(registrationDeadlineRuleIds('ADMINISTRATIVE_SUPERVISION', details)).to.deep.equal(['ACT_REGISTER'])
    expect(registrationDeadlineRuleIds('ADMINISTRATIVE_SUPERVISION', { ...details, electronicMonitoringOrdered: true })).to.deep.equal([
      'ACT_REGISTER',
      'EM_INSTALLATION',
    ])
  })

  it('when several fields are wrong, then each is reported once, in the order of the form', () => {
    expect(validateMeasureDetails('DEPRIVATION_OF_RIGHT', { termMonths: 0, extra: 'x' })).to.deep.equal([
      { field: 'prohibitedPostOrActivity', problem: 'required' },
      { field: 'termMonths', problem: 'min', limit: 1 },
      { field: 'extra', problem: 'unknown' },
    ])
  })

  it('when a caller tries to change the catalogue, then it cannot', () => {
    const fine = measureType('FINE')
    expect(() => {
      ;(fine as { executionKind: string }).executionKind = 'generic'
    }).to.throw(TypeError)
    expect(() => {
      ;(fine.fields[0] as { max?: number }).max = 1
    }).to.throw(TypeError)
    expect(() => (MEASURE_CODES as MeasureCode[]).push('FINE')).to.throw(TypeError)
    expect(measureType('FINE').executionKind).to.equal('fine')
  })

  it('when a code is not in the catalogue, then it is recognised as such', () => {
    expect(isMeasureCode('FINE')).to.equal(true)
    for (const other of ['fine', 'toString', '__proto__', '', 42, null]) expect(isMeasureCode(other), String(other)).to.equal(false)
    expect(() => measureType('PRISON' as MeasureCode)).to.throw(RangeError)
  })
})
