/** The workflows API (common/src/workflows.ts). */
export const WORKFLOWS_API = '/api/v1/workflows';
