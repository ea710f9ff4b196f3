import type { Sequelize } from 'sequelize'
import { AuditEvent } from './AuditEvent'
import { Delegation } from './Delegation'
import { Region } from './Region'
import { User } from './User'

export function initModels(sequelize: Sequelize) {
  Region.initModel(sequelize)
  User.initModel(sequelize)
  Delegation.initModel(sequelize)
  AuditEvent.initModel(sequelize)

  User.belongsTo(Region, { as: 'region', foreignKey: 'regionId' })
  Region.hasMany(User, { as: 'users', foreignKey: 'regionId' })
  Delegation.belongsTo(Region, { as: 'region', foreignKey: 'regionId' })
  Delegation.belongsTo(User, { as: 'actingUser', foreignKey: 'actingUserId' })
  Delegation.belongsTo(User, { as: 'grantedBy', foreignKey: 'grantedByUserId' })
  Delegation.belongsTo(User, { as: 'revokedBy', foreignKey: 'revokedByUserId' })

  return { Region, User, Delegation, AuditEvent }
}

export type Models = ReturnType<typeof initModels>
export { AuditEvent, Delegation, Region, User }

