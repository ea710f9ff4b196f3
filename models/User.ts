import { DataTypes, Model, type CreationOptional, type ForeignKey, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize } from 'sequelize'
import type { Role } from '../server/domain/roles'
import type { Region } from './Region'

export class User extends Model<InferAttributes<User>, InferCreationAttributes<User>> {
  declare id: CreationOptional<number>
  declare username: string
  declare fullName: string
  declare email: string | null
  declare role: Role
  declare regionId: ForeignKey<Region['id']> | null
  declare passwordHash: string
  declare mustChangePassword: CreationOptional<boolean>
  declare passwordChangedAt: Date | null
  declare active: CreationOptional<boolean>
  declare failedSignInCount: CreationOptional<number>
  declare failedSignInSince: Date | null
  declare lockedUntil: Date | null
  declare lastSignInAt: Date | null
  /** When the account was last given to its holder (made, reactivated, a new password): the inactivity rule counts from here or the last sign-in. */
  declare activeSince: CreationOptional<Date>
  declare disabledForInactivityAt: Date | null
  /** When the holder enrolled their authenticator app (its key is read only by server/data/secondFactors.ts). */
  declare totpEnrolledAt: CreationOptional<Date | null>
  declare version: CreationOptional<number>
  declare createdAt: CreationOptional<Date>
  declare updatedAt: CreationOptional<Date>
  declare region?: NonAttribute<Region | null>

  static initModel(sequelize: Sequelize): void {
    User.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        username: { type: DataTypes.TEXT, allowNull: false },
        fullName: { type: DataTypes.TEXT, allowNull: false },
        email: { type: DataTypes.TEXT, allowNull: true },
        role: { type: DataTypes.TEXT, allowNull: false },
        passwordHash: { type: DataTypes.TEXT, allowNull: false },
        mustChangePassword: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        passwordChangedAt: { type: DataTypes.DATE, allowNull: true },
        active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        failedSignInCount: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        failedSignInSince: { type: DataTypes.DATE, allowNull: true },
        lockedUntil: { type: DataTypes.DATE, allowNull: true },
        lastSignInAt: { type: DataTypes.DATE, allowNull: true },
        activeSince: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
        disabledForInactivityAt: { type: DataTypes.DATE, allowNull: true },
        totpEnrolledAt: { type: DataTypes.DATE, allowNull: true },
        version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'users', underscored: true },
    )
  }
}
