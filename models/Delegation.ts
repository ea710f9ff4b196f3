import { DataTypes, Model, type CreationOptional, type ForeignKey, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize } from 'sequelize'
import type { Region } from './Region'
import type { User } from './User'

/** A senior specialist standing in as acting head of a region for a date range (inclusive). */
export class Delegation extends Model<InferAttributes<Delegation>, InferCreationAttributes<Delegation>> {
  declare id: CreationOptional<number>
  declare regionId: ForeignKey<Region['id']>
  declare actingUserId: ForeignKey<User['id']>
  declare grantedByUserId: ForeignKey<User['id']>
  declare startsOn: string
  declare endsOn: string
  declare reason: string
  declare revokedAt: Date | null
  declare revokedByUserId: ForeignKey<User['id']> | null
  declare revokeReason: string | null
  declare createdAt: CreationOptional<Date>
  declare actingUser?: NonAttribute<User>
  declare grantedBy?: NonAttribute<User>
  declare region?: NonAttribute<Region>

  static initModel(sequelize: Sequelize): void {
    Delegation.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        startsOn: { type: DataTypes.DATEONLY, allowNull: false },
        endsOn: { type: DataTypes.DATEONLY, allowNull: false },
        reason: { type: DataTypes.TEXT, allowNull: false },
        revokedAt: { type: DataTypes.DATE, allowNull: true },
        revokeReason: { type: DataTypes.TEXT, allowNull: true },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'delegations', underscored: true, updatedAt: false },
    )
  }
}
