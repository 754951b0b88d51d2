// Field reports on the server, for supervisors: the ones waiting for review, and the decision.
import { apiPaths, fieldReportListSchema, fieldReportSchema, type ReportReview } from '@atalaya/api';
import { answerOf } from './client';
import { send } from './session';

export const fetchFieldReports = async (status: 'pending' | 'accepted' | 'rejected') =>
  answerOf(await fetch(`${apiPaths.fieldReports}?status=${status}&limit=200`, { headers: { Accept: 'application/json' } }), fieldReportListSchema);

export const reviewFieldReport = (id: string, review: ReportReview) => send('POST', apiPaths.fieldReportReview(id), review, fieldReportSchema);
