import { Beneficiary } from '../../models'
import { searchKey } from '../../server/domain/transliteration'

let sequence = 0

/** A card written straight to the database, for tests that need a file to act on. */
export async function createBeneficiary(regionId: number, responsibleOfficerId: number | null, extra: Partial<Beneficiary['_creationAttributes']> = {}): Promise<Beneficiary> {
  sequence += 1
  const surname = extra.surname ?? 'Պետրոսյան'
  const surnameLatin = extra.surnameLatin ?? 'Petrosyan'
  return Beneficiary.create({
    regionId,
    fileNumber: `T-${process.pid}-${sequence}`,
    surname,
    givenName: 'Արմեն',
    patronymic: null,
    surnameLatin,
    givenNameLatin: 'Armen',
    patronymicLatin: null,
    searchKey: searchKey(`${surname} Արմեն ${surnameLatin} Armen`),
    sex: 'MALE',
    birthDate: '1990-04-12',
    birthPlace: null, citizenship: null, identityDocumentType: null, identityDocumentNumber: null, identityDocumentIssuer: null, identityDocumentIssuedOn: null,
    publicServiceNumber: null, registeredMarz: null, registeredCommunity: null, registeredStreet: null, actualMarz: null, actualCommunity: null, actualStreet: null,
    phones: null, email: null, education: null, employer: null, jobTitle: null, familyStatus: null, dependants: null, militaryStatus: null,
    healthNotes: 'insulin-dependent diabetes',
    category: 'PROBATION_PERIOD',
    responsibleOfficerId,
    riskToStaffReason: null,
    closedOn: null,
    closeReason: null,
    closeNote: null,
    anonymisedAt: null,
    createdByUserId: responsibleOfficerId ?? 1,
    ...extra,
  })
}
