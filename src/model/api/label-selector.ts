/**
 * An equality-based label selector (a Service's spec.selector, a PodDisruptionBudget's matchLabels):
 * it matches when every key-value it lists is among the labels. Source: apimachinery labels.Selector.
 */
export function matchesLabels(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  for (const key in selector) if (labels[key] !== selector[key]) return false;
  return true;
}
