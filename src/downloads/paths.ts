/** The files the Records Management cards and the tab link to; each link is signed for one officer. */
export const DOWNLOADS = {
  registerCsv: '/downloads/register.csv',
  registerXlsx: '/downloads/register.xlsx',
  decisionsCsv: '/downloads/review-decisions.csv',
  certificate: (batchId: string) => `/downloads/certificates/${encodeURIComponent(batchId)}.pdf`,
  /** Everything the product holds about a case or a person: JSON or Excel. */
  subjectAccess: (kind: 'case' | 'person', subject: string, format: 'json' | 'xlsx') =>
    `/downloads/subject-access/${kind}/${encodeURIComponent(subject)}.${format}`,
} as const;
