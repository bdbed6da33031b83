import type { PaperSize } from '@vosul/common/letters';

const PAGE: Record<PaperSize, { width: number; height: number; padding: number; font: number }> = {
  A4: { width: 210, height: 297, padding: 20, font: 12 },
  A5: { width: 148, height: 210, padding: 12, font: 10 },
};

/**
 * The print stylesheet of the letters: each letter from a new page of the chosen paper (A4 or A5
 * portrait), a long one on as many pages as it takes, the letters alone; menu, header, filters, list
 * and buttons hidden. Mounted with the page only.
 */
export function letterPrintStyles(paper: PaperSize): string {
  const p = PAGE[paper];
  return `
.vosul-letters-print { display: none; }
/* the bottom padding keeps the text clear of the signature, on the last page of a long letter too */
.vosul-letter { position: relative; box-sizing: border-box; width: ${p.width}mm; min-height: ${p.height}mm;
  padding: ${p.padding}mm ${p.padding}mm ${p.padding + 38}mm; font-size: ${p.font}pt; line-height: 1.9;
  color: #000; background: #fff; font-family: Vazirmatn, sans-serif; }
.vosul-letter-head { display: flex; justify-content: space-between; align-items: flex-start;
  border-bottom: 1px solid #000; padding-bottom: 3mm; margin-bottom: 5mm; }
.vosul-letter-bank { text-align: center; flex: 1; }
.vosul-letter-bank strong { font-size: 1.35em; }
.vosul-letter-small { font-size: 0.85em; }
.vosul-letter-meta { margin: 0; font-size: 0.9em; }
.vosul-letter-meta dt, .vosul-letter-meta dd { display: inline; margin: 0; }
.vosul-letter-title { text-align: center; font-size: 1.2em; margin: 0 0 4mm; }
.vosul-letter-body { white-space: pre-wrap; text-align: justify; }
.vosul-letter-signature { position: absolute; left: ${p.padding}mm; bottom: ${p.padding + 10}mm;
  text-align: center; min-width: 50mm; }
.vosul-letter-preprinted { padding: 0; }
.vosul-preprinted-field { position: absolute; white-space: nowrap; }

@media print {
  @page { size: ${paper} portrait; margin: 0; }
  body { background: #fff !important; }
  .ant-layout, .ant-layout-content { background: #fff !important; padding: 0 !important; margin: 0 !important; }
  .ant-layout-header, .ant-layout-sider, nav, .vosul-letters-screen { display: none !important; }
  .vosul-letters-print { display: block; }
  /* a letter starts a page; a long one runs on to the next (never cut) with its margins on every page;
     a pre-printed form is one page */
  .vosul-letter { break-after: page; -webkit-box-decoration-break: clone; box-decoration-break: clone; }
  .vosul-letter-preprinted { height: ${p.height}mm; overflow: hidden; }
  .vosul-letter:last-child { break-after: auto; }
}
`;
}
