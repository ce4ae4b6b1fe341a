function meta(name: string): string {
  return document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content ?? '';
}

/** Values the gateway writes into index.html when it serves it (api/storefront.ts). */
const config = {
  temporalUiUrl: meta('temporal-ui-url').replace(/\/+$/, ''),
  temporalNamespace: meta('temporal-namespace') || 'default',
};

export function temporalWorkflowUrl(workflowId: string): string | null {
  if (!config.temporalUiUrl) return null;
  const ns = encodeURIComponent(config.temporalNamespace);
  return `${config.temporalUiUrl}/namespaces/${ns}/workflows/${encodeURIComponent(workflowId)}`;
}
