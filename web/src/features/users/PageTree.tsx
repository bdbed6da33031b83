import { useQuery } from '@tanstack/react-query';
import { Alert, Spin, Tree } from 'antd';
import type { TreeDataNode } from 'antd';
import { useMemo } from 'react';
import { api, errorMessage } from '../../lib/api';
import { PAGES_API, type PageCatalog } from './types';

interface Props {
  value?: string[];
  onChange?: (value: string[]) => void;
  id?: string;
}

const SECTION_PREFIX = 'section:';

/**
 * «صفحات (اقلام) منو»: the page catalogue as a checkbox tree grouped by menu section. Pages the
 * signed-in user does not hold are shown but cannot be ticked (nobody grants more than they have).
 */
export function PageTree({ value, onChange, id }: Props) {
  const catalog = useQuery({
    queryKey: [PAGES_API],
    queryFn: ({ signal }) => api.get<PageCatalog>(PAGES_API, undefined, { signal }),
    staleTime: Infinity,
  });
  const treeData = useMemo<TreeDataNode[]>(
    () =>
      (catalog.data?.sections ?? []).map((section) => ({
        key: SECTION_PREFIX + section.key,
        title: section.title,
        children: section.pages.map((page) => ({
          key: page.key,
          title: `${section.title}/${page.title}`,
          disableCheckbox: !page.grantable,
        })),
      })),
    [catalog.data],
  );

  if (catalog.isPending) return <Spin size="small" />;
  if (catalog.error) return <Alert type="error" showIcon title={errorMessage(catalog.error)} />;

  return (
    <div
      id={id}
      style={{ border: '1px solid #d9dee3', borderRadius: 6, padding: 8, maxHeight: 420, overflow: 'auto' }}
    >
      <Tree
        checkable
        selectable={false}
        defaultExpandAll
        treeData={treeData}
        checkedKeys={value ?? []}
        onCheck={(checked) => {
          const keys = Array.isArray(checked) ? checked : checked.checked;
          onChange?.(keys.map(String).filter((k) => !k.startsWith(SECTION_PREFIX)));
        }}
      />
    </div>
  );
}
