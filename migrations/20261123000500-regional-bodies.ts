import type { MigrationContext } from '../server/db/migrator'

// The Service's regional bodies: reference data every installation needs; the administrator edits them later.
const REGIONAL_BODIES = [
  ['YEREVAN', 'ԵՐ', 'Երևանի մարզային մարմին', 'Yerevan regional body', 'Երևան', 'Yerevan'],
  ['ARAGATSOTN', 'ԱԳ', 'Արագածոտնի մարզային մարմին', 'Aragatsotn regional body', 'Աշտարակ', 'Ashtarak'],
  ['ARARAT', 'ԱՐ', 'Արարատի մարզային մարմին', 'Ararat regional body', 'Արտաշատ', 'Artashat'],
  ['ARMAVIR', 'ԱՄ', 'Արմավիրի մարզային մարմին', 'Armavir regional body', 'Արմավիր', 'Armavir'],
  ['GEGHARKUNIK', 'ԳՂ', 'Գեղարքունիքի մարզային մարմին', 'Gegharkunik regional body', 'Գավառ', 'Gavar'],
  ['KOTAYK', 'ԿՏ', 'Կոտայքի մարզային մարմին', 'Kotayk regional body', 'Հրազդան', 'Hrazdan'],
  ['LORI', 'ԼՌ', 'Լոռու մարզային մարմին', 'Lori regional body', 'Վանաձոր', 'Vanadzor'],
  ['SHIRAK', 'ՇԿ', 'Շիրակի մարզային մարմին', 'Shirak regional body', 'Գյումրի', 'Gyumri'],
  ['SYUNIK', 'ՍՅ', 'Սյունիքի մարզային մարմին', 'Syunik regional body', 'Կապան', 'Kapan'],
  ['VAYOTS_DZOR', 'ՎՁ', 'Վայոց ձորի մարզային մարմին', 'Vayots Dzor regional body', 'Եղեգնաձոր', 'Yeghegnadzor'],
  ['TAVUSH', 'ՏՎ', 'Տավուշի մարզային մարմին', 'Tavush regional body', 'Իջևան', 'Ijevan'],
]

export async function up({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  for (const [code, filePrefix, nameHy, nameEn, centreHy, centreEn] of REGIONAL_BODIES) {
    await sequelize.query(
      `INSERT INTO regions (code, file_prefix, name_hy, name_en, centre_hy, centre_en) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING`,
      { replacements: [code, filePrefix, nameHy, nameEn, centreHy, centreEn] },
    )
  }
}

export async function down({ context: { sequelize } }: { context: MigrationContext }): Promise<void> {
  // Refuses (foreign keys) while users still belong to these regions: a rollback never drops live data silently.
  await sequelize.query('DELETE FROM regions WHERE code IN (?)', { replacements: [REGIONAL_BODIES.map((row) => row[0])] })
}
