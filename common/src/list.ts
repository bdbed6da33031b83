import { z } from 'zod';

/** Query of every paged list: free-text search, 1-based page, page size, sort column and order. */
export const listQuerySchema = z.object({
  q: z.string().max(200).optional(),
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(500).default(20),
  sort: z.string().max(50).optional(),
  order: z.enum(['asc', 'desc']).default('asc'),
});
export type ListQuery = z.infer<typeof listQuerySchema>;

export function pageOf<T extends z.ZodTypeAny>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    /** true when more rows match than were counted: `total` is then a lower bound */
    total_capped: z.boolean().optional(),
  });
}

/** Body of a multi-select delete. */
export const deleteManySchema = z.object({ ids: z.array(z.number().int().positive()).min(1).max(1000) });
