import { Beneficiary, Region, User } from '../../models'
import type { BeneficiaryService, CardInput } from '../services/beneficiaries'
import { romanise } from '../domain/transliteration'
import type { Role } from '../domain/roles'
import { hashPassword } from '../services/passwordHashing'
import type { CorrespondenceService, IncomingInput } from '../services/correspondence'
import { addCalendarDays } from '../domain/calendar'

export const DEMO_PASSWORD = 'Demo-Probation-2026'

export interface DemoAccount {
  username: string
  fullName: string
  role: Role
  regionCode: string | null
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { username: 'service.head', fullName: 'Արմեն Սարգսյան', role: 'SERVICE_HEAD', regionCode: null },
  { username: 'admin', fullName: 'Լիլիթ Հակոբյան', role: 'ADMINISTRATOR', regionCode: null },
  { username: 'ararat.head', fullName: 'Գայանե Մկրտչյան', role: 'REGIONAL_HEAD', regionCode: 'ARARAT' },
  { username: 'ararat.senior1', fullName: 'Տիգրան Պետրոսյան', role: 'SENIOR_SPECIALIST', regionCode: 'ARARAT' },
  { username: 'ararat.senior2', fullName: 'Անի Գրիգորյան', role: 'SENIOR_SPECIALIST', regionCode: 'ARARAT' },
  { username: 'ararat.officer1', fullName: 'Հայկ Ավետիսյան', role: 'SPECIALIST', regionCode: 'ARARAT' },
  { username: 'ararat.officer2', fullName: 'Մարինե Հովհաննիսյան', role: 'SPECIALIST', regionCode: 'ARARAT' },
  { username: 'ararat.officer3', fullName: 'Դավիթ Կարապետյան', role: 'SPECIALIST', regionCode: 'ARARAT' },
  { username: 'shirak.head', fullName: 'Նարինե Վարդանյան', role: 'REGIONAL_HEAD', regionCode: 'SHIRAK' },
  { username: 'shirak.officer1', fullName: 'Արամ Խաչատրյան', role: 'SPECIALIST', regionCode: 'SHIRAK' },
  { username: 'shirak.officer2', fullName: 'Սոնա Մանուկյան', role: 'SPECIALIST', regionCode: 'SHIRAK' },
]

// A few people under supervision, so that the registers are not empty in a demonstration.
const DEMO_PEOPLE: { region: string; officer: string; surname: string; givenName: string; patronymic: string; sex: 'MALE' | 'FEMALE'; birthDate: string; category: CardInput['category']; risk?: string }[] = [
  { region: 'ARARAT', officer: 'ararat.officer1', surname: 'Պետրոսյան', givenName: 'Արմեն', patronymic: 'Սամվելի', sex: 'MALE', birthDate: '1988-03-14', category: 'PROBATION_PERIOD' },
  { region: 'ARARAT', officer: 'ararat.officer1', surname: 'Հովհաննիսյան', givenName: 'Լիանա', patronymic: 'Գագիկի', sex: 'FEMALE', birthDate: '1995-11-02', category: 'NON_CUSTODIAL_PUNISHMENT' },
  { region: 'ARARAT', officer: 'ararat.officer1', surname: 'Ղազարյան', givenName: 'Տիգրան', patronymic: 'Արամի', sex: 'MALE', birthDate: '1979-07-21', category: 'ALTERNATIVE_PREVENTIVE_MEASURE', risk: 'Threatened an officer during a home visit (2025).' },
  { region: 'ARARAT', officer: 'ararat.officer2', surname: 'Մանուկյան', givenName: 'Դավիթ', patronymic: 'Հրաչյայի', sex: 'MALE', birthDate: '2001-01-30', category: 'NON_CUSTODIAL_PUNISHMENT' },
  { region: 'ARARAT', officer: 'ararat.officer2', surname: 'Սարգսյան', givenName: 'Անի', patronymic: 'Վահանի', sex: 'FEMALE', birthDate: '1999-05-09', category: 'PROBATION_PERIOD' },
  { region: 'ARARAT', officer: 'ararat.officer3', surname: 'Խաչատրյան', givenName: 'Գոռ', patronymic: 'Սերգեյի', sex: 'MALE', birthDate: '1984-09-17', category: 'SECURITY_MEASURE' },
  { region: 'ARARAT', officer: 'ararat.officer3', surname: 'Ավետիսյան', givenName: 'Նարեկ', patronymic: 'Կարենի', sex: 'MALE', birthDate: '2007-02-11', category: 'MINOR_EDUCATIONAL_MEASURE' },
  { region: 'SHIRAK', officer: 'shirak.officer1', surname: 'Գրիգորյան', givenName: 'Սուրեն', patronymic: 'Մհերի', sex: 'MALE', birthDate: '1990-12-05', category: 'PROBATION_PERIOD' },
  { region: 'SHIRAK', officer: 'shirak.officer2', surname: 'Վարդանյան', givenName: 'Մարիամ', patronymic: 'Արթուրի', sex: 'FEMALE', birthDate: '1993-06-28', category: 'NON_CUSTODIAL_PUNISHMENT' },
]

function demoCard(person: (typeof DEMO_PEOPLE)[number]): CardInput {
  const blank = Object.fromEntries(['birthPlace', 'citizenship', 'identityDocumentType', 'identityDocumentNumber', 'identityDocumentIssuer', 'identityDocumentIssuedOn', 'publicServiceNumber', 'registeredMarz', 'registeredCommunity', 'registeredStreet', 'actualMarz', 'actualCommunity', 'actualStreet', 'phones', 'email', 'education', 'employer', 'jobTitle', 'familyStatus', 'dependants', 'militaryStatus', 'healthNotes'].map((key) => [key, null]))
  return {
    ...(blank as unknown as CardInput),
    surname: person.surname,
    givenName: person.givenName,
    patronymic: person.patronymic,
    surnameLatin: romanise(person.surname),
    givenNameLatin: romanise(person.givenName),
    patronymicLatin: romanise(person.patronymic),
    sex: person.sex,
    birthDate: person.birthDate,
    citizenship: 'ՀՀ',
    registeredMarz: person.region,
    actualMarz: person.region,
    category: person.category,
    status: 'ACTIVE',
    riskToStaff: Boolean(person.risk),
    riskToStaffReason: person.risk ?? null,
  }
}

/** Creates the demo accounts and people that do not exist yet; running it again changes nothing. */
export async function seedDemoData(beneficiaries: BeneficiaryService): Promise<void> {
  const regions = new Map((await Region.findAll()).map((region) => [region.code, region.id]))
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  for (const account of DEMO_ACCOUNTS) {
    await User.findOrCreate({
      where: { username: account.username },
      defaults: {
        username: account.username,
        fullName: account.fullName,
        email: null,
        role: account.role,
        regionId: account.regionCode ? regions.get(account.regionCode)! : null,
        passwordHash,
        passwordChangedAt: null,
        failedSignInSince: null,
        lockedUntil: null,
        lastSignInAt: null,
      },
    })
  }

  if ((await Beneficiary.count()) > 0) return
  for (const person of DEMO_PEOPLE) {
    const officer = await User.findOne({ where: { username: person.officer } })
    const context = { actor: { id: officer!.id, role: officer!.role, regionId: officer!.regionId ?? null, actingHeadRegionIds: [] }, actorUsername: officer!.username, sourceIp: null, requestId: 'demo-seed' }
    await beneficiaries.create(regions.get(person.region)!, demoCard(person), { confirmDuplicate: true, responsibleOfficerId: officer!.id }, context)
  }
}

interface DemoItem {
  daysAgo: number
  by: string
  assignTo?: string
  input: Omit<IncomingInput, 'receivedOn'>
}

const NO_EXTRAS = { senderAddress: null, senderReference: null, senderDate: null, summary: null, beneficiaryFileNumber: null, topic: null, complaintSubject: null, complaintStaffUserId: null, complaintAbout: null, documentDueDate: null, reportRequested: false, reportPurpose: null } as const

const DEMO_ITEMS: readonly DemoItem[] = [
  { daysAgo: 40, by: 'ararat.officer1', assignTo: 'ararat.officer1', input: { ...NO_EXTRAS, channel: 'POST', kind: 'STATE_BODY_LETTER', sender: 'Արարատի մարզպետարան', subject: 'Հանրային աշխատանքների վայրերի ցանկի ճշտում', senderReference: '01/14-2231' } },
  { daysAgo: 12, by: 'ararat.officer2', assignTo: 'ararat.officer2', input: { ...NO_EXTRAS, channel: 'IN_PERSON', kind: 'COMPLAINT', sender: 'Անահիտ Գրիգորյան', senderAddress: 'ք. Արտաշատ, Օգոստոսի 23, 5', subject: 'Հանդիպումների ժամերը համընկնում են աշխատանքի ժամերին', topic: 'SUPERVISION_CONDITIONS', complaintSubject: 'REGIONAL_BODY' } },
  { daysAgo: 6, by: 'ararat.officer1', assignTo: 'ararat.senior1', input: { ...NO_EXTRAS, channel: 'E_GOVERNMENT', kind: 'UNIT_REQUEST', sender: 'Քրեակատարողական ծառայության «Արթիկ» հիմնարկ', subject: 'Զեկույց պայմանական վաղաժամկետ ազատման համար', reportRequested: true, reportPurpose: 'EARLY_RELEASE' } },
  { daysAgo: 3, by: 'ararat.officer3', input: { ...NO_EXTRAS, channel: 'OFFICIAL_EMAIL', kind: 'INFORMATION_REQUEST', sender: 'Լրագրող Ս. Մանուկյան', senderAddress: 'news@example.am', subject: 'Մարզում հանրային աշխատանքներ կատարող անձանց թիվը', topic: 'ACCESS_TO_INFORMATION' } },
  { daysAgo: 1, by: 'ararat.officer2', input: { ...NO_EXTRAS, channel: 'SOCIAL_NETWORK', kind: 'SOCIAL_MEDIA_INQUIRY', sender: 'Facebook-ի օգտատեր «Արամ Ա.»', subject: 'Ինչպես ստանալ տեղեկանք պատժի կրման մասին', topic: 'CERTIFICATES_AND_DOCUMENTS' } },
]

/** A few items in Ararat's incoming register, dated from today, so the registers and the control view have something to show. */
export async function seedDemoCorrespondence(correspondence: CorrespondenceService, today: string): Promise<void> {
  const ararat = await Region.findOne({ where: { code: 'ARARAT' } })
  if ((await correspondence.incomingRegister({ regionId: ararat!.id, page: 1 })).total > 0) return
  const contextOf = async (username: string) => {
    const user = (await User.findOne({ where: { username } }))!
    return { actor: { id: user.id, role: user.role, regionId: user.regionId ?? null, actingHeadRegionIds: [] }, actorUsername: user.username, sourceIp: null, requestId: 'demo-seed' }
  }
  const head = await contextOf('ararat.head')
  for (const item of DEMO_ITEMS) {
    const { id } = await correspondence.registerIncoming(ararat!.id, { ...item.input, receivedOn: addCalendarDays(today, -item.daysAgo) }, await contextOf(item.by))
    if (item.assignTo) {
      const assignee = await contextOf(item.assignTo)
      await correspondence.assign(id, { assigneeId: assignee.actor.id, resolution: 'Ուսումնասիրել և պատրաստել պատասխանը', expectedVersion: 1 }, head)
    }
  }
}
