// Every HTTP operation, with the zod schemas its route validates with. The OpenAPI document is built
// from this table, and a test checks that the app's routes and this table name the same paths.
import { z } from 'zod';
import * as api from '../api';

export interface Operation {
  method: 'get' | 'post';
  /** Express path (":id" params). */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  params?: z.ZodObject;
  query?: z.ZodType;
  body?: z.ZodType;
  /** multipart: the body is a form with files. */
  bodyType?: 'json' | 'multipart';
  response?: z.ZodType;
  /** Other than JSON (CSV downloads are offered with format=csv on JSON routes). */
  responseType?: string;
  /** Who may call it: signed-in editors (of the object's agency) or admins only; unset = anyone. */
  auth?: 'editor' | 'admin';
  /** Status of success when not 200. */
  status?: number;
}

const id = api.idParamSchema;
const reportId = z.object({ id: z.string().uuid() });
const photoId = reportId.extend({ photo: z.string().uuid() });

export const operations: Operation[] = [
  { method: 'get', path: api.apiPaths.health, tag: 'System', summary: 'Database kind, versions, migration level, vector tile support', response: api.healthSchema },
  { method: 'get', path: api.apiPaths.search, tag: 'Search', summary: 'Published activities, their sites and areas whose name (or code) contains the text', query: api.searchQuerySchema, response: api.searchAnswerSchema },
  { method: 'post', path: api.apiPaths.login, tag: 'Accounts', summary: 'Sign in: sets the session cookie (httpOnly, SameSite=Strict) and returns the CSRF token; 10 tries per 15 minutes', body: api.loginSchema, response: api.meSchema },
  { method: 'post', path: api.apiPaths.logout, tag: 'Accounts', summary: 'Sign out: ends the session', status: 204 },
  { method: 'get', path: api.apiPaths.me, tag: 'Accounts', summary: 'Who is calling, and the CSRF token to send with writes made with the session cookie', response: api.meSchema },
  { method: 'get', path: api.apiPaths.tokens, tag: 'Accounts', summary: 'Your personal API tokens (without the tokens themselves)', auth: 'editor', response: api.apiTokenSchema.array() },
  { method: 'post', path: api.apiPaths.tokens, tag: 'Accounts', summary: 'Create a personal API token for scripts; the answer is the only time it is shown', body: api.tokenCreateSchema, auth: 'editor', response: api.createdTokenSchema, status: 201 },
  { method: 'post', path: `${api.apiPaths.token(':id')}/revoke`, tag: 'Accounts', summary: 'Revoke one of your API tokens', params: id, auth: 'editor', status: 204 },
  { method: 'get', path: api.apiPaths.users, tag: 'Accounts', summary: 'Users with their roles and agencies', auth: 'admin', response: api.userSchema.array() },
  { method: 'post', path: api.apiPaths.users, tag: 'Accounts', summary: 'Create a user (editor or admin) in agencies', body: api.userCreateSchema, auth: 'admin', response: api.userSchema, status: 201 },
  { method: 'post', path: api.apiPaths.user(':id'), tag: 'Accounts', summary: 'Change a user: name, role, agencies, password, disabled (ends their sessions)', params: id, body: api.userUpdateSchema, auth: 'admin', response: api.userSchema },
  { method: 'get', path: api.apiPaths.agencies, tag: 'Accounts', summary: 'Agencies (the lead agencies editors act for)' },
  { method: 'post', path: api.apiPaths.agencies, tag: 'Accounts', summary: 'Create or rename an agency', body: api.agencySchema, auth: 'admin', status: 201 },
  { method: 'get', path: api.apiPaths.audit, tag: 'Accounts', summary: 'The change history of one object: who, when, before and after', query: api.auditQuerySchema, auth: 'editor', response: api.auditEntrySchema.array() },
  { method: 'get', path: api.apiPaths.manageActivities, tag: 'Editing', summary: 'Activities you may edit, drafts included (your agencies; all for an admin)', auth: 'editor', response: api.activityListSchema },
  { method: 'get', path: api.apiPaths.manageActivity(':id'), tag: 'Editing', summary: 'One activity you may edit, draft or published', params: id, auth: 'editor', response: api.activitySchema },
  { method: 'get', path: api.apiPaths.manageActivityIndicators(':id'), tag: 'Editing', summary: 'Indicators of an activity you may edit, drafts and draft measurements included', params: id, auth: 'editor', response: api.indicatorListSchema },
  { method: 'get', path: api.apiPaths.manageActivitySites(':id'), tag: 'Editing', summary: 'Sites of an activity you may edit, draft or published', params: id, auth: 'editor', response: api.siteCollectionSchema },
  { method: 'post', path: api.apiPaths.activities, tag: 'Editing', summary: 'Create an activity (a draft unless published: true) for one of your agencies', body: api.activityInputSchema, auth: 'editor', response: api.activitySchema, status: 201 },
  { method: 'post', path: api.apiPaths.activity(':id'), tag: 'Editing', summary: 'Change an activity: any fields, including published', params: id, body: api.activityPatchSchema, auth: 'editor', response: api.activitySchema },
  { method: 'post', path: api.apiPaths.activitySites(':id'), tag: 'Editing', summary: 'Add a site (GeoJSON geometry in EPSG:4326) to an activity', params: id, body: api.siteInputSchema, auth: 'editor', status: 201 },
  { method: 'post', path: api.apiPaths.site(':id'), tag: 'Editing', summary: 'Change a site: name, kind, geometry', params: id, body: api.sitePatchSchema, auth: 'editor' },
  { method: 'post', path: api.apiPaths.siteDelete(':id'), tag: 'Editing', summary: 'Delete a site', params: id, auth: 'editor', status: 204 },
  { method: 'post', path: api.apiPaths.indicatorPublish(':id'), tag: 'Editing', summary: 'Publish or withdraw an indicator', params: id, body: api.publishSchema, auth: 'editor', status: 204 },
  { method: 'post', path: api.apiPaths.measurementPublish(':id'), tag: 'Editing', summary: 'Publish or withdraw a measurement', params: id, body: api.publishSchema, auth: 'editor', status: 204 },
  { method: 'get', path: api.apiPaths.clientConfig, tag: 'System', summary: 'Basemap (Natural Earth, local PMTiles or a style URL) and default buffer for the client', response: api.clientConfigSchema },
  { method: 'get', path: api.apiPaths.basemapFile, tag: 'System', summary: 'The configured PMTiles basemap, read with HTTP range requests', responseType: 'application/vnd.pmtiles' },
  { method: 'get', path: api.apiPaths.programme, tag: 'Programme', summary: 'Goals, priority areas, objectives and action areas (en/es)', response: api.programmeSchema },
  { method: 'get', path: api.apiPaths.matrix, tag: 'Programme', summary: 'Priority area (or action area) x area kind matrix', query: api.matrixQuerySchema, response: api.programmeMatrixSchema },
  { method: 'get', path: api.apiPaths.matrixCell, tag: 'Programme', summary: 'The activities behind one matrix cell', query: api.matrixCellQuerySchema },
  { method: 'get', path: api.apiPaths.contextLayers, tag: 'Areas', summary: 'Context layers of points (other cooperation projects) with source, licence, count and their OGC collection', response: api.contextLayerSchema.array() },
  { method: 'get', path: api.apiPaths.areaKinds, tag: 'Areas', summary: 'Registered area kinds with labels, link distances and counts', response: api.areaKindSchema.array() },
  { method: 'get', path: api.apiPaths.areas, tag: 'Areas', summary: 'Areas as GeoJSON, by kind and bbox, paged', query: api.areasQuerySchema, response: api.areaCollectionSchema },
  { method: 'get', path: api.apiPaths.areaActivities(':id'), tag: 'Links', summary: 'Activities working in or near an area', params: id, query: api.formatQuerySchema, response: api.areaActivitiesSchema },
  { method: 'get', path: api.apiPaths.sites, tag: 'Sites', summary: 'Sites as GeoJSON, by bbox, activity and priority area, paged', query: api.sitesQuerySchema, response: api.siteCollectionSchema },
  { method: 'get', path: api.apiPaths.activities, tag: 'Activities', summary: 'Activities, filtered and paged', query: api.activitiesQuerySchema, response: api.activityListSchema },
  { method: 'get', path: api.apiPaths.activity(':id'), tag: 'Activities', summary: 'One activity with its sites', params: id, response: api.activityDetailSchema },
  { method: 'get', path: api.apiPaths.activityLinks(':id'), tag: 'Links', summary: 'Areas an activity is linked to, with relation, overlap and distance', params: id, query: api.formatQuerySchema },
  { method: 'get', path: api.apiPaths.imports, tag: 'Imports', summary: 'Provenance of every import', response: api.importSourceSchema.array() },
  { method: 'post', path: api.apiPaths.imports, tag: 'Imports', summary: 'Import an uploaded file (areas, sites or an activity matrix)', body: api.importFieldsSchema, bodyType: 'multipart', auth: 'editor', status: 201 },
  { method: 'get', path: api.apiPaths.rasters, tag: 'Rasters', summary: 'Raster layers with bounds and legend', response: api.rasterLayerSchema.array() },
  { method: 'post', path: api.apiPaths.rasters, tag: 'Rasters', summary: 'Register GeoTIFFs (several files make a mosaic) as a tile layer', body: api.rasterRegisterFieldsSchema, bodyType: 'multipart', auth: 'admin', status: 201 },
  { method: 'get', path: api.apiPaths.sources, tag: 'Sources', summary: 'The real data sources (catalogue), their licences and last fetch', response: api.sourceStatusSchema.array() },
  { method: 'get', path: '/tiles/alerts/:layer/:z/:x/:y.png', tag: 'Tiles', summary: 'Alert PNG tile by confidence (low, high, highest) for a date range; a low-zoom pixel shows the newest alert of its footprint, so nothing outside the filter is drawn; 204 where nothing is painted', params: api.rasterTileParamsSchema, query: api.alertTileQuerySchema, responseType: 'image/png' },
  { method: 'get', path: '/tiles/rasters/:layer/:z/:x/:y.png', tag: 'Tiles', summary: 'Forest loss (or tree cover) PNG tile; 204 where nothing is painted', params: api.rasterTileParamsSchema, query: api.rasterTileQuerySchema, responseType: 'image/png' },
  { method: 'get', path: '/tiles/:layer/:z/:x/:y.mvt', tag: 'Tiles', summary: 'Vector tile of an area kind, sites or activities; empty tile = 200 with no body', params: api.vectorTileParamsSchema, responseType: 'application/vnd.mapbox-vector-tile' },
  { method: 'get', path: '/tiles/:layer.json', tag: 'Tiles', summary: 'TileJSON 3.0 of a vector tile layer', params: api.vectorTileLayerSchema },
  { method: 'post', path: api.apiPaths.analysisLoss, tag: 'Statistics', summary: 'Forest loss per year in a posted GeoJSON geometry', body: api.lossRequestSchema, response: api.lossAnswerSchema },
  { method: 'post', path: api.apiPaths.analysisAlerts, tag: 'Alerts', summary: 'Exact alert counts and hectares per day, ISO week or month and confidence in a posted GeoJSON geometry', query: api.alertPeriodQuerySchema, body: api.alertRequestSchema, response: api.alertAnswerSchema },
  { method: 'get', path: api.apiPaths.areaAlerts(':id'), tag: 'Alerts', summary: 'Alerts in an area', params: id, query: api.alertSubjectQuerySchema, response: api.alertAnswerSchema },
  { method: 'get', path: api.apiPaths.siteAlerts(':id'), tag: 'Alerts', summary: "Alerts in a site's buffer", params: id, query: api.alertSubjectQuerySchema, response: api.alertAnswerSchema },
  { method: 'get', path: api.apiPaths.activityAlerts(':id'), tag: 'Alerts', summary: "Alerts in the union of an activity's site buffers", params: id, query: api.alertSubjectQuerySchema, response: api.alertAnswerSchema },
  { method: 'get', path: api.apiPaths.subjectVectorAlerts('area', ':id'), tag: 'Alerts', summary: 'Alerts published as points or polygons (GeoBosques) in an area, per day, with the hectares of the polygons inside (null for points)', params: id, query: api.vectorAlertQuerySchema, response: api.vectorAlertAnswerSchema },
  { method: 'get', path: api.apiPaths.subjectVectorAlerts('site', ':id'), tag: 'Alerts', summary: "The same in a site's buffer", params: id, query: api.vectorAlertQuerySchema, response: api.vectorAlertAnswerSchema },
  { method: 'get', path: api.apiPaths.subjectVectorAlerts('activity', ':id'), tag: 'Alerts', summary: "The same in the union of an activity's site buffers", params: id, query: api.vectorAlertQuerySchema, response: api.vectorAlertAnswerSchema },
  { method: 'get', path: api.apiPaths.alertExport, tag: 'Alerts', summary: "The alert pixels of an area, a site's buffer or an activity's sites as points (date, confidence, hectares): GeoJSON, CSV or GeoPackage", query: api.alertExportQuerySchema },
  { method: 'get', path: api.apiPaths.vectorAlertLayers, tag: 'Alerts', summary: 'Layers of alerts published as points or polygons (GeoBosques) with their dates and OGC collection', response: api.vectorAlertLayerSchema.array() },
  { method: 'get', path: api.apiPaths.alertLayers, tag: 'Alerts', summary: 'Alert layers with source, licence, dates and bounds', response: api.alertLayerSchema.array() },
  { method: 'post', path: api.apiPaths.alerts, tag: 'Alerts', summary: "Register a source's alert GeoTIFFs (GFW integrated, GLAD-L pairs, RADD) as an alert layer, replacing one of that name", body: api.alertRegisterFieldsSchema, bodyType: 'multipart', auth: 'admin', status: 201 },
  { method: 'post', path: api.apiPaths.packageEstimate, tag: 'Field', summary: 'Tiles and size of an offline package (an area, an activity or site with its surroundings, or a box, at a zoom range) before it is built', body: api.packageRequestSchema, auth: 'editor', response: api.packageEstimateSchema },
  { method: 'get', path: api.apiPaths.packages, tag: 'Field', summary: 'Your offline packages', auth: 'editor', response: api.areaPackageSchema.array() },
  { method: 'post', path: api.apiPaths.packages, tag: 'Field', summary: 'Build an offline package (one PMTiles archive of vector tiles and one JSON file); follow its job', body: api.packageRequestSchema, auth: 'editor', response: api.areaPackageSchema, status: 202 },
  { method: 'get', path: api.apiPaths.package(':id'), tag: 'Field', summary: 'One of your offline packages', params: id, auth: 'editor', response: api.areaPackageSchema },
  { method: 'get', path: api.apiPaths.packageArchive(':id'), tag: 'Field', summary: 'The package archive (PMTiles v3, MVT, gzip), with range requests', params: id, auth: 'editor', responseType: 'application/vnd.pmtiles' },
  { method: 'get', path: api.apiPaths.packageJson(':id'), tag: 'Field', summary: "The package's JSON: the subject, its areas, sites, activities and indicators, alerts with their identities, the report forms", params: id, auth: 'editor', responseType: 'application/json' },
  { method: 'post', path: `${api.apiPaths.package(':id')}/delete`, tag: 'Field', summary: 'Delete one of your offline packages from the server', params: id, auth: 'editor', status: 204 },
  { method: 'post', path: api.apiPaths.fieldReports, tag: 'Field', summary: "Send a field report (an alert verified or a site visited) made on a device; idempotent by its UUID: 201 the first time, 200 with the stored report after", body: api.fieldReportInputSchema, auth: 'editor', response: api.fieldReportSchema, status: 201 },
  { method: 'get', path: api.apiPaths.fieldReports, tag: 'Field', summary: 'Field reports you may read: accepted ones (the public, without names), plus your own and your agencies\' when signed in', query: api.fieldReportListQuerySchema, response: api.fieldReportListSchema },
  { method: 'get', path: api.apiPaths.fieldReportsExport, tag: 'Field', summary: 'The field reports you may read as GeoJSON, CSV or GeoPackage (photos as links)', query: api.fieldReportExportQuerySchema, responseType: 'application/geo+json' },
  { method: 'get', path: api.apiPaths.alertStatus, tag: 'Field', summary: "Alerts' status from field reports (the latest accepted report's result, else unverified), with their report counts", query: z.object({ ids: z.string() }), response: api.alertStatusSchema },
  { method: 'get', path: api.apiPaths.fieldReport(':id'), tag: 'Field', summary: 'One field report with its photos and review', params: reportId, response: api.fieldReportSchema },
  { method: 'post', path: api.apiPaths.fieldReportReview(':id'), tag: 'Field', summary: "Accept or reject a field report (an editor of the report's agency other than its author)", params: reportId, body: api.reportReviewSchema, auth: 'editor', response: api.fieldReportSchema },
  { method: 'post', path: api.apiPaths.fieldReportPhoto(':id', ':photo'), tag: 'Field', summary: 'Add a photo (the image bytes: JPEG, PNG or WebP, at most 8 MiB) to your report; idempotent by the photo UUID; metadata stripped, taken_at, lon and lat kept from the query', params: photoId, query: api.photoUploadQuerySchema, auth: 'editor', status: 201 },
  { method: 'get', path: api.apiPaths.fieldReportPhoto(':id', ':photo'), tag: 'Field', summary: 'A photo of a report you may read (JPEG)', params: photoId, responseType: 'image/jpeg' },
  { method: 'get', path: api.apiPaths.alertSubscriptions, tag: 'Alerts', summary: 'Your alert subscriptions', auth: 'editor', response: api.subscriptionSchema.array() },
  { method: 'post', path: api.apiPaths.alertSubscriptions, tag: 'Alerts', summary: "Follow the alerts of an area, an activity's sites, a drawn polygon or a rule (every area of a kind inside another; every site of your agency)", body: api.subscriptionInputSchema, auth: 'editor', response: api.subscriptionSchema, status: 201 },
  { method: 'post', path: `${api.apiPaths.alertSubscription(':id')}/delete`, tag: 'Alerts', summary: 'Stop following one subscription', params: id, auth: 'editor', status: 204 },
  { method: 'get', path: api.apiPaths.alertDigestSettings, tag: 'Alerts', summary: 'Your digest settings: frequency, language, e-mail, feed, webhook', auth: 'editor', response: api.digestSettingsSchema },
  { method: 'post', path: api.apiPaths.alertDigestSettings, tag: 'Alerts', summary: 'Change your digest settings; a new feed address or webhook signing key is shown once, in this answer', body: api.digestSettingsInputSchema, auth: 'editor', response: api.digestSettingsSchema },
  { method: 'get', path: api.apiPaths.alertDigests, tag: 'Alerts', summary: 'Your latest digests with their deliveries', auth: 'editor', response: api.digestWithDeliveriesSchema.array() },
  { method: 'post', path: api.apiPaths.alertDigestsRun, tag: 'Alerts', summary: 'Make and deliver the digests now (force: every user with subscriptions, due or not)', auth: 'admin', status: 202, response: api.jobSchema },
  { method: 'get', path: '/api/alerts/digests/:id/maps/:n.png', tag: 'Alerts', summary: "A map image of one of your digests", auth: 'editor', responseType: 'image/png' },
  { method: 'get', path: api.apiPaths.digestPreview, tag: 'Alerts', summary: 'What a digest of an area, activity or site would say about its last days (HTML, maps inline); nothing is stored', query: api.digestPreviewQuerySchema, responseType: 'text/html' },
  { method: 'get', path: '/api/alerts/feed/:token.atom', tag: 'Alerts', summary: "A user's digests as an Atom feed; the token in the address is its key", responseType: 'application/atom+xml' },
  { method: 'get', path: '/api/alerts/feed/:token/maps/:digest/:n.png', tag: 'Alerts', summary: "A digest's map image, by the feed's token", responseType: 'image/png' },
  { method: 'get', path: api.apiPaths.areaLoss(':id'), tag: 'Statistics', summary: 'Stored loss series of an area', params: id, query: api.lossQuerySchema, response: api.lossAnswerSchema },
  { method: 'get', path: api.apiPaths.siteLoss(':id'), tag: 'Statistics', summary: "Stored loss series of a site's buffer", params: id, query: api.lossQuerySchema, response: api.lossAnswerSchema },
  { method: 'get', path: api.apiPaths.activityLoss(':id'), tag: 'Statistics', summary: "Stored loss series of the union of an activity's site buffers", params: id, query: api.lossQuerySchema, response: api.lossAnswerSchema },
  { method: 'get', path: api.apiPaths.statistics, tag: 'Statistics', summary: 'Every stored series of one subject kind', query: api.statisticsQuerySchema },
  { method: 'post', path: api.apiPaths.statisticsJobs, tag: 'Statistics', summary: 'Start a statistics batch', body: api.statisticsJobSchema, auth: 'admin', status: 202, response: api.jobSchema },
  { method: 'get', path: api.apiPaths.job(':id'), tag: 'Statistics', summary: 'Progress of a background job', params: id, response: api.jobSchema },
  { method: 'get', path: api.apiPaths.concessionReview, tag: 'Concessions', summary: 'Concession review table: loss rates, peers, flags (JSON, CSV, GeoJSON)', query: api.concessionReviewQuerySchema },
  { method: 'get', path: '/concessions/:id/sheet', tag: 'Concessions', summary: 'Printable one-page sheet of a concession (HTML)', params: id, responseType: 'text/html' },
  { method: 'get', path: api.apiPaths.concessionReviewNotes(':id'), tag: 'Concessions', summary: 'Review notes of a concession, newest first', params: id },
  { method: 'post', path: api.apiPaths.concessionReviewNotes(':id'), tag: 'Concessions', summary: 'Append a review note', params: id, body: api.concessionReviewNoteSchema, auth: 'editor', status: 201 },
  { method: 'get', path: api.apiPaths.activityIndicators(':id'), tag: 'Progress', summary: 'Indicators of an activity with baseline, target, latest value and status', params: id, response: api.indicatorListSchema },
  { method: 'post', path: api.apiPaths.activityIndicators(':id'), tag: 'Progress', summary: 'Create an indicator (spatial ones are computed at once)', params: id, body: api.indicatorInputSchema, response: api.indicatorSchema, auth: 'editor', status: 201 },
  { method: 'get', path: api.apiPaths.indicator(':id'), tag: 'Progress', summary: 'One indicator with its whole history', params: id, response: api.indicatorSchema },
  { method: 'post', path: api.apiPaths.indicatorMeasurements(':id'), tag: 'Progress', summary: 'Add a measurement to a manual indicator', params: id, body: api.measurementInputSchema, response: api.indicatorSchema, auth: 'editor', status: 201 },
  { method: 'post', path: api.apiPaths.indicatorsRecompute, tag: 'Progress', summary: 'Recompute the spatial indicators whose inputs changed', body: api.recomputeBodySchema, auth: 'admin' },
  { method: 'get', path: api.apiPaths.siteTrend(':id'), tag: 'Progress', summary: 'Loss near vs around a site before/after its activity started (difference in differences)', params: id, query: api.trendQuerySchema, response: api.trendSchema },
  { method: 'get', path: api.apiPaths.activityTrend(':id'), tag: 'Progress', summary: "Loss near vs around an activity's sites before/after its start", params: id, query: api.trendQuerySchema, response: api.trendSchema },
  { method: 'get', path: api.apiPaths.report, tag: 'Progress', summary: 'Programme progress report (JSON or CSV)', query: api.reportQuerySchema },
  { method: 'get', path: api.apiPaths.reportPage, tag: 'Progress', summary: 'Programme progress report as a printable page', query: api.reportQuerySchema.omit({ format: true }), responseType: 'text/html' },
  { method: 'get', path: api.apiPaths.exports, tag: 'Exports', summary: 'Export areas, sites or activities (GeoJSON, CSV, GeoPackage, zipped Shapefile)', query: api.exportQuerySchema, responseType: 'application/octet-stream' },
  { method: 'get', path: api.apiPaths.statisticsExport, tag: 'Exports', summary: 'Export stored loss statistics with their subjects (GeoJSON, CSV, GeoPackage, zipped Shapefile)', query: api.statisticsExportQuerySchema, responseType: 'application/octet-stream' },
  { method: 'get', path: '/ogc', tag: 'OGC API - Features', summary: 'Landing page' },
  { method: 'get', path: '/ogc/conformance', tag: 'OGC API - Features', summary: 'Conformance classes' },
  { method: 'get', path: '/ogc/collections', tag: 'OGC API - Features', summary: 'Collections: one per area kind, sites, activities' },
  { method: 'get', path: '/ogc/collections/:id', tag: 'OGC API - Features', summary: 'One collection' },
  { method: 'get', path: '/ogc/collections/:id/items', tag: 'OGC API - Features', summary: 'Features: bbox, limit, offset, datetime, property=value', responseType: 'application/geo+json' },
  { method: 'get', path: '/ogc/collections/:id/items/:featureId', tag: 'OGC API - Features', summary: 'One feature', responseType: 'application/geo+json' },
  { method: 'get', path: '/api/openapi.json', tag: 'System', summary: 'This document (OpenAPI 3.1)' },
  { method: 'get', path: '/api/docs', tag: 'System', summary: 'Browsable documentation of this API', responseType: 'text/html' },
];
