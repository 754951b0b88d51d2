// The checks routes make before acting: is the thing public, which agency owns it. Routes ask the
// service layer; the queries live in their repositories.
export { requirePublished } from '../db/repositories/visibility.repository';
export { agencyOfActivity, agencyOfActivityCode, agencyOfIndicator } from '../db/repositories/agencies.repository';
