import type { Sequelize } from 'sequelize'
import { AuditEvent } from './AuditEvent'
import { Beneficiary } from './Beneficiary'
import { BeneficiaryDocument, BeneficiaryNote, Transfer } from './BeneficiaryRecords'
import { Delegation } from './Delegation'
import { Region } from './Region'
import { User } from './User'

export function initModels(sequelize: Sequelize) {
  Region.initModel(sequelize)
  User.initModel(sequelize)
  Delegation.initModel(sequelize)
  AuditEvent.initModel(sequelize)
  Beneficiary.initModel(sequelize)
  BeneficiaryDocument.initModel(sequelize)
  BeneficiaryNote.initModel(sequelize)
  Transfer.initModel(sequelize)

  User.belongsTo(Region, { as: 'region', foreignKey: 'regionId' })
  Region.hasMany(User, { as: 'users', foreignKey: 'regionId' })
  Delegation.belongsTo(Region, { as: 'region', foreignKey: 'regionId' })
  Delegation.belongsTo(User, { as: 'actingUser', foreignKey: 'actingUserId' })
  Delegation.belongsTo(User, { as: 'grantedBy', foreignKey: 'grantedByUserId' })
  Delegation.belongsTo(User, { as: 'revokedBy', foreignKey: 'revokedByUserId' })

  Beneficiary.belongsTo(Region, { as: 'region', foreignKey: 'regionId' })
  Beneficiary.belongsTo(User, { as: 'responsibleOfficer', foreignKey: 'responsibleOfficerId' })
  BeneficiaryDocument.belongsTo(User, { as: 'uploadedBy', foreignKey: 'uploadedByUserId' })
  BeneficiaryNote.belongsTo(User, { as: 'author', foreignKey: 'authorUserId' })

  return { Region, User, Delegation, AuditEvent, Beneficiary, BeneficiaryDocument, BeneficiaryNote, Transfer }
}

export type Models = ReturnType<typeof initModels>
export { AuditEvent, Beneficiary, BeneficiaryDocument, BeneficiaryNote, Delegation, Region, Transfer, User }

