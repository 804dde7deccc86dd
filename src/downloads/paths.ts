/** The files the Records Management cards and the tab link to; each link is signed for one officer. */
export const DOWNLOADS = {
  registerCsv: '/downloads/register.csv',
  registerXlsx: '/downloads/register.xlsx',
  decisionsCsv: '/downloads/review-decisions.csv',
  certificate: (batchId: string) => `/downloads/certificates/${encodeURIComponent(batchId)}.pdf`,
} as const;
