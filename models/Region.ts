import { DataTypes, Model, type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize'

export class Region extends Model<InferAttributes<Region>, InferCreationAttributes<Region>> {
  declare id: CreationOptional<number>
  declare code: string
  declare filePrefix: string
  declare nameHy: string
  declare nameEn: string
  declare centreHy: string
  declare centreEn: string
  declare active: CreationOptional<boolean>
  declare version: CreationOptional<number>
  declare createdAt: CreationOptional<Date>
  declare updatedAt: CreationOptional<Date>

  static initModel(sequelize: Sequelize): void {
    Region.init(
      {
        id: { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true },
        code: { type: DataTypes.TEXT, allowNull: false },
        filePrefix: { type: DataTypes.TEXT, allowNull: false },
        nameHy: { type: DataTypes.TEXT, allowNull: false },
        nameEn: { type: DataTypes.TEXT, allowNull: false },
        centreHy: { type: DataTypes.TEXT, allowNull: false },
        centreEn: { type: DataTypes.TEXT, allowNull: false },
        active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
        createdAt: DataTypes.DATE,
        updatedAt: DataTypes.DATE,
      },
      { sequelize, tableName: 'regions', underscored: true },
    )
  }
}
