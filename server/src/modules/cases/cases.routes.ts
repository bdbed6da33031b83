import { z } from 'zod';
import { classChangeSchema } from '@vosul/common/day-runs';
import { deleteManySchema, listQuerySchema, pageOf } from '@vosul/common';
import {
  caseInputSchema,
  caseListItemSchema,
  caseListQuerySchema,
  caseSchema,
  caseUpdateSchema,
  facilityNoParams,
  facilitySchema,
  guarantorSchema,
  INCOMPLETE_REASONS,
  incompleteItemSchema,
  incompleteQuerySchema,
  installmentSchema,
} from '@vosul/common/cases';
import { changeRequestSubmittedSchema } from '@vosul/common/change-requests';
import { contextOf } from '../../platform/auth/guard.js';
import { excelExportRoute } from '../../platform/excel.js';
import type { ModuleRoutes } from '../../platform/http/module.js';
import * as cases from './cases.service.js';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const CASES = { access: { page: 'active_cases' } } as const;
// A facility is opened from the active cases (V16) and from the overdue cases (V33).
const FACILITIES = { access: { page: ['active_cases', 'overdue_cases'] } } as const;
const INCOMPLETE = { access: { page: 'incomplete_data' } } as const;

/** V15–V17 and V29: cases (customers), their facilities with installments and guarantors, incomplete data. */
export const casesRoutes: ModuleRoutes = async (app, { deps: { db } }) => {
  const tags = ['cases'];

  app.get(
    '/cases',
    {
      config: CASES,
      schema: { tags, querystring: caseListQuerySchema, response: { 200: pageOf(caseListItemSchema) } },
    },
    (req) => cases.listCases(db, contextOf(req), req.query),
  );
  excelExportRoute(
    app,
    '/cases/export',
    { config: CASES, schema: { tags, querystring: caseListQuerySchema } },
    (req) => cases.exportCases(db, contextOf(req), req.query),
    {
      name: 'cases',
      sheet: 'پرونده‌های فعال',
      columns: [
        { header: 'شماره مشتری', value: (c) => c.customer_no },
        { header: 'نام و نام خانوادگی', value: (c) => c.full_name, width: 30 },
        { header: 'تلفن همراه', value: (c) => c.mobile },
        { header: 'کد ملی', value: (c) => c.national_id },
        { header: 'کد شعبه', value: (c) => c.branch_code },
        { header: 'نام شعبه', value: (c) => c.branch_name, width: 24 },
        { header: 'تعداد تسهیلات', value: (c) => c.facility_count },
      ],
    },
  );
  app.get(
    '/cases/:id',
    { config: CASES, schema: { tags, params: idParams, response: { 200: caseSchema } } },
    (req) => cases.getCase(db, contextOf(req), req.params.id),
  );
  // V19: for a user whose group needs approval the answer is 202 with the change request made instead.
  app.post(
    '/cases',
    {
      config: CASES,
      schema: {
        tags,
        body: caseInputSchema,
        response: { 201: caseSchema, 202: changeRequestSubmittedSchema },
      },
    },
    async (req, reply) => {
      const written = await cases.createCase(db, contextOf(req), req.body);
      return 'case' in written
        ? reply.status(201).send(written.case)
        : reply.status(202).send(written.submitted);
    },
  );
  app.patch(
    '/cases/:id',
    {
      config: CASES,
      schema: {
        tags,
        params: idParams,
        body: caseUpdateSchema,
        response: { 200: caseSchema, 202: changeRequestSubmittedSchema },
      },
    },
    async (req, reply) => {
      const written = await cases.updateCase(db, contextOf(req), req.params.id, req.body);
      return 'case' in written
        ? reply.status(200).send(written.case)
        : reply.status(202).send(written.submitted);
    },
  );
  app.post(
    '/cases/delete',
    { config: CASES, schema: { tags, body: deleteManySchema } },
    async (req, reply) => {
      await cases.deleteCases(db, contextOf(req), req.body.ids);
      return reply.status(204).send();
    },
  );
  app.get(
    '/cases/:id/facilities',
    {
      config: CASES,
      schema: {
        tags,
        params: idParams,
        querystring: listQuerySchema,
        response: { 200: pageOf(facilitySchema) },
      },
    },
    (req) => cases.listCaseFacilities(db, contextOf(req), req.params.id, req.query),
  );

  // ---- facilities (the first one is a stable endpoint of interchange.md) ----
  app.get(
    '/facilities/:facility_no',
    { config: FACILITIES, schema: { tags, params: facilityNoParams, response: { 200: facilitySchema } } },
    (req) => cases.getFacility(db, contextOf(req), req.params.facility_no),
  );
  app.get(
    '/facilities/:facility_no/installments',
    {
      config: FACILITIES,
      schema: {
        tags,
        params: facilityNoParams,
        response: { 200: z.object({ items: z.array(installmentSchema) }) },
      },
    },
    (req) => cases.listInstallments(db, contextOf(req), req.params.facility_no),
  );
  app.get(
    '/facilities/:facility_no/guarantors',
    {
      config: FACILITIES,
      schema: {
        tags,
        params: facilityNoParams,
        response: { 200: z.object({ items: z.array(guarantorSchema) }) },
      },
    },
    (req) => cases.listGuarantors(db, contextOf(req), req.params.facility_no),
  );
  app.get(
    '/facilities/:facility_no/class-changes',
    {
      config: FACILITIES,
      schema: {
        tags,
        params: facilityNoParams,
        response: { 200: z.object({ items: z.array(classChangeSchema) }) },
      },
    },
    (req) => cases.listClassChanges(db, contextOf(req), req.params.facility_no),
  );

  // ---- incomplete data (V29) ----
  app.get(
    '/incomplete-data',
    {
      config: INCOMPLETE,
      schema: { tags, querystring: incompleteQuerySchema, response: { 200: pageOf(incompleteItemSchema) } },
    },
    (req) => cases.listIncomplete(db, contextOf(req), req.query),
  );
  excelExportRoute(
    app,
    '/incomplete-data/export',
    { config: INCOMPLETE, schema: { tags, querystring: incompleteQuerySchema } },
    (req) => cases.exportIncomplete(db, contextOf(req), req.query),
    {
      name: 'incomplete-data',
      sheet: 'اطلاعات ناقص',
      columns: [
        { header: 'شماره مشتری', value: (c) => c.customer_no },
        { header: 'نام و نام خانوادگی', value: (c) => c.full_name, width: 30 },
        { header: 'تلفن همراه', value: (c) => c.mobile },
        { header: 'کد ملی', value: (c) => c.national_id },
        { header: 'کد شعبه', value: (c) => c.branch_code },
        { header: 'نام شعبه', value: (c) => c.branch_name, width: 24 },
        { header: 'علت', value: (c) => c.reasons.map((r) => INCOMPLETE_REASONS[r]).join('، '), width: 40 },
        {
          header: 'ضامن‌های بدون تلفن',
          value: (c) => c.guarantors_without_phone.map((g) => `${g.name} (${g.facility_no})`).join('، '),
          width: 40,
        },
      ],
    },
  );
};
