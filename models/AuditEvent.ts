import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize'

export const AUDIT_CATEGORIES = ['account', 'access', 'delegation', 'region', 'beneficiary', 'reference', 'correspondence', 'mediation', 'activity', 'report'] as const
export type AuditCategory = (typeof AUDIT_CATEGORIES)[number]
export type AuditOutcome = 'success' | 'failure' | 'denied'

/** One line of the append-only audit log (the database refuses UPDATE, DELETE and TRUNCATE). */
export class AuditEvent extends Model<InferAttributes<AuditEvent>, InferCreationAttributes<AuditEvent>> {
  declare id: CreationOptional<string>
  declare occurredAt: Date
  declare actorUserId: number | null
  declare actorUsername: string | null
  declare action: string
  declare category: AuditCategory
  declare outcome: AuditOutcome
  declare regionId: number | null
  declare targetType: string | null
  declare targetId: string | null
  declare details: CreationOptional<Record<string, unknown>>
  declare sourceIp: string | null
  declare requestId: string | null

  static initModel(sequelize: Sequelize): void {
    AuditEvent.init(
      {
        id: { type: DataTypes.BIGINT, autoIncrement: true, primaryKey: true },
        occurredAt: { type: DataTypes.DATE, allowNull: false },
        actorUserId: { type: DataTypes.INTEGER, allowNull: true },
        actorUsername: { type: DataTypes.TEXT, allowNull: true },
        action: { type: DataTypes.TEXT, allowNull: false },
        category: { type: DataTypes.TEXT, allowNull: false },
        outcome: { type: DataTypes.TEXT, allowNull: false },
        regionId: { type: DataTypes.INTEGER, allowNull: true },
        targetType: { type: DataTypes.TEXT, allowNull: true },
        targetId: { type: DataTypes.TEXT, allowNull: true },
        details: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
        sourceIp: { type: DataTypes.TEXT, allowNull: true },
        requestId: { type: DataTypes.TEXT, allowNull: true },
      },
      { sequelize, tableName: 'audit_events', underscored: true, timestamps: false },
    )
  }
}
