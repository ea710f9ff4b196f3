// Exact strings of the locale files for the messages every form shares, so that tests read what users read.
export const VALIDATION_HY = {
  summary: 'Խնդրում ենք ուղղել հետևյալը՝',
  required: 'Այս դաշտը պարտադիր է։',
  tooLong: (max: number) => `Առավելագույնը ${max} նիշ։`,
  tooShort: (min: number) => `Առնվազն ${min} նիշ։`,
  controlCharacters: 'Պարունակում է նիշեր, որոնք հնարավոր չէ մուտքագրել. հեռացրեք դրանք։',
  oneLine: 'Մուտքագրեք մեկ տողով։',
  email: 'Մուտքագրեք ճիշտ էլ. փոստի հասցե։',
  choose: 'Ընտրեք տարբերակներից մեկը։',
  date: 'Մուտքագրեք իրական ամսաթիվ՝ ՕՕ.ԱԱ.ՏՏՏՏ ձևաչափով։',
  dateRange: (from: string, to: string) => `Մուտքագրեք ամսաթիվ ${from}-ից մինչև ${to}։`,
  number: 'Մուտքագրեք թիվ։',
  numberMin: (min: number) => `Առնվազն ${min}։`,
  numberMax: (max: number) => `Առավելագույնը ${max}։`,
  wholeNumber: 'Մուտքագրեք ամբողջ թիվ։',
  invalid: 'Արժեքը սխալ է։',
}

export const VALIDATION_EN = {
  summary: 'Please correct the following:',
  required: 'This field is required.',
  tooShort: (min: number) => `At least ${min} characters.`,
  number: 'Enter a number.',
  dateRange: (from: string, to: string) => `Enter a date from ${from} to ${to}.`,
}
