import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize } from 'sequelize'
import type { BeneficiaryCategory, BeneficiaryStatus, CloseReason } from '../server/domain/beneficiaryCatalogue'
import type { Region } from './Region'
import type { User } from './User'

/** The registration card (հաշվառման քարտ) of a person under supervision; the personal file hangs off it. */
export class Beneficiary extends Model<InferAttributes<Beneficiary>, InferCreationAttributes<Beneficiary>> {
  declare id: CreationOptional<number>
  declare regionId: number
  declare fileNumber: string
  declare surname: string
  declare givenName: string
  declare patronymic: string | null
  declare surnameLatin: string
  declare givenNameLatin: string
  declare patronymicLatin: string | null
  declare searchKey: string
  declare sex: string
  declare birthDate: string
  declare birthPlace: string | null
  declare citizenship: string | null
  declare identityDocumentType: string | null
  declare identityDocumentNumber: string | null
  declare identityDocumentIssuer: string | null
  declare identityDocumentIssuedOn: string | null
  declare publicServiceNumber: string | null
  declare registeredMarz: string | null
  declare registeredCommunity: string | null
  declare registeredStreet: string | null
  declare actualMarz: string | null
  declare actualCommunity: string | null
  declare actualStreet: string | null
  declare phones: string | null
  declare email: string | null
  declare education: string | null
  declare employer: string | null
  declare jobTitle: string | null
  declare familyStatus: string | null
  declare dependants: number | null
  declare militaryStatus: string | null
  declare healthNotes: string | null
  declare category: BeneficiaryCategory
  declare responsibleOfficerId: number | null
  declare status: CreationOptional<BeneficiaryStatus>
  declare riskToStaff: CreationOptional<boolean>
  declare riskToStaffReason: string | null
  declare closedOn: string | null
  declare closeReason: CloseReason | null
  declare closeNote: string | null
  declare anonymisedAt: Date | null
  declare createdByUserId: number
  declare version: CreationOptional<number>
  declare createdAt: CreationOptional<Date>
  declare updatedAt: CreationOptional<Date>
  declare region?: NonAttribute<Region>
  declare responsibleOfficer?: NonAttribute<User | null>

  static initModel(sequelize: Sequelize): void {
    const text = (allowNull = true) => ({ type: DataTypes.TEXT, allowNull })
    const date = () => ({ type: DataTypes.DATEONLY, allowNull: true })
    Beneficiary.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        regionId: { type: DataTypes.INTEGER, allowNull: false },
        fileNumber: text(false),
        surname: text(false),
        givenName: text(false),
        patronymic: text(),
        surnameLatin: text(false),
        givenNameLatin: text(false),
        patronymicLatin: text(),
        searchKey: text(false),
        sex: text(false),
        birthDate: { type: DataTypes.DATEONLY, allowNull: false },
        birthPlace: text(),
        citizenship: text(),
        identityDocumentType: text(),
        identityDocumentNumber: text(),
        identityDocumentIssuer: text(),
        identityDocumentIssuedOn: date(),
        publicServiceNumber: text(),
        registeredMarz: text(),
        registeredCommunity: text(),
        registeredStreet: text(),
        actualMarz: text(),
        actualCommunity: text(),
        actualStreet: text(),
        phones: text(),
        email: text(),
        education: text(),
        employer: text(),
        jobTitle: text(),
        familyStatus: text(),
        dependants: { type: DataTypes.INTEGER, allowNull: true },
        militaryStatus: text(),
        healthNotes: text(),
        category: text(false),
        responsibleOfficerId: { type: DataTypes.INTEGER, allowNull: true },
        status: { type: DataTypes.TEXT, allowNull: false, defaultValue: 'ACTIVE' },
        riskToStaff: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        riskToStaffReason: text(),
        closedOn: date(),
        closeReason: text(),
        closeNote: text(),
        anonymisedAt: { type: DataTypes.DATE, allowNull: true },
        createdByUserId: { type: DataTypes.INTEGER, allowNull: false },
        version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'beneficiaries', underscored: true },
    )
  }
}
