import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize } from 'sequelize'
import type { User } from './User'

/** A document or the photo of a personal file; the bytes are stored in PostgreSQL. */
export class BeneficiaryDocument extends Model<InferAttributes<BeneficiaryDocument>, InferCreationAttributes<BeneficiaryDocument>> {
  declare id: CreationOptional<number>
  declare beneficiaryId: number
  declare kind: 'DOCUMENT' | 'PHOTO'
  declare fileName: string
  declare mediaType: string
  declare sizeBytes: number
  declare content: Buffer
  declare description: string | null
  declare uploadedByUserId: number
  declare uploadedAt: Date
  declare uploadedBy?: NonAttribute<User>

  static initModel(sequelize: Sequelize): void {
    BeneficiaryDocument.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        beneficiaryId: { type: DataTypes.INTEGER, allowNull: false },
        kind: { type: DataTypes.TEXT, allowNull: false },
        fileName: { type: DataTypes.TEXT, allowNull: false },
        mediaType: { type: DataTypes.TEXT, allowNull: false },
        sizeBytes: { type: DataTypes.INTEGER, allowNull: false },
        content: { type: DataTypes.BLOB, allowNull: false },
        description: { type: DataTypes.TEXT, allowNull: true },
        uploadedByUserId: { type: DataTypes.INTEGER, allowNull: false },
        uploadedAt: { type: DataTypes.DATE, allowNull: false },
      },
      { sequelize, tableName: 'beneficiary_documents', underscored: true, timestamps: false },
    )
  }
}

export class BeneficiaryNote extends Model<InferAttributes<BeneficiaryNote>, InferCreationAttributes<BeneficiaryNote>> {
  declare id: CreationOptional<number>
  declare beneficiaryId: number
  declare authorUserId: number
  declare body: string
  declare createdAt: Date
  declare author?: NonAttribute<User>

  static initModel(sequelize: Sequelize): void {
    BeneficiaryNote.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        beneficiaryId: { type: DataTypes.INTEGER, allowNull: false },
        authorUserId: { type: DataTypes.INTEGER, allowNull: false },
        body: { type: DataTypes.TEXT, allowNull: false },
        createdAt: { type: DataTypes.DATE, allowNull: false },
      },
      { sequelize, tableName: 'beneficiary_notes', underscored: true, timestamps: false },
    )
  }
}

export type TransferStatus = 'PENDING' | 'ACCEPTED' | 'REFUSED' | 'CANCELLED'

/** A request to move a file to another regional body when the person moves. */
export class Transfer extends Model<InferAttributes<Transfer>, InferCreationAttributes<Transfer>> {
  declare id: CreationOptional<number>
  declare beneficiaryId: number
  declare fromRegionId: number
  declare toRegionId: number
  declare reason: string
  declare requestedByUserId: number
  declare requestedAt: Date
  declare status: CreationOptional<TransferStatus>
  declare decidedByUserId: number | null
  declare decidedAt: Date | null
  declare decisionReason: string | null

  static initModel(sequelize: Sequelize): void {
    Transfer.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        beneficiaryId: { type: DataTypes.INTEGER, allowNull: false },
        fromRegionId: { type: DataTypes.INTEGER, allowNull: false },
        toRegionId: { type: DataTypes.INTEGER, allowNull: false },
        reason: { type: DataTypes.TEXT, allowNull: false },
        requestedByUserId: { type: DataTypes.INTEGER, allowNull: false },
        requestedAt: { type: DataTypes.DATE, allowNull: false },
        status: { type: DataTypes.TEXT, allowNull: false, defaultValue: 'PENDING' },
        decidedByUserId: { type: DataTypes.INTEGER, allowNull: true },
        decidedAt: { type: DataTypes.DATE, allowNull: true },
        decisionReason: { type: DataTypes.TEXT, allowNull: true },
      },
      { sequelize, tableName: 'transfers', underscored: true, timestamps: false },
    )
  }
}
