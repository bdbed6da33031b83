/**
 * The print stylesheet of the maturing facilities (T6): A4 landscape, the list alone under a heading
 * naming the branch, the date and the time of printing; menu, header, filters and buttons hidden.
 */
export const PRINT_STYLES = `
.vosul-print-heading { display: none; }

@media print {
  @page { size: A4 landscape; margin: 10mm; }

  body { background: #fff !important; }
  .ant-layout, .ant-layout-content { background: #fff !important; padding: 0 !important; }
  .ant-layout-header, .ant-layout-sider, nav,
  .vosul-maturing-filters, .vosul-maturing-page .vosul-toolbar,
  .vosul-maturing-page .ant-pagination, .vosul-maturing-page .ant-table-column-sorter { display: none !important; }

  .vosul-print-heading { display: block; margin-bottom: 6mm; }
  .vosul-print-heading h1 { font-size: 16pt; margin: 0 0 2mm; }
  .vosul-print-heading p { font-size: 10pt; margin: 0; }
  .vosul-maturing-page .ant-card-body { padding: 0 !important; }
  .vosul-maturing-page .ant-table { font-size: 9pt; }
  .vosul-maturing-page .ant-table-cell { padding: 2px 4px !important; }
  .vosul-maturing-page .ant-table-content { overflow: visible !important; }
  .vosul-maturing-page thead { display: table-header-group; }
  .vosul-maturing-page tr { break-inside: avoid; }
}
`;
