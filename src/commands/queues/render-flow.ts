import type { FlowNode, FlowTree } from '../../queues/flow.js';
import type { FlowJson, FlowNodeJson } from './types.js';

export interface FlowResult extends FlowTree {
  target: string;
  asked: string;
}

function nodeJson(n: FlowNode): FlowNodeJson {
  return {
    key: n.key,
    queue: n.base,
    id: n.id,
    name: n.name,
    state: n.state,
    children: n.children,
    nodes: n.nodes.map(nodeJson),
    more: n.more,
  };
}

export function toFlowJson(r: FlowResult): FlowJson {
  return { target: r.target, asked: r.asked, root: nodeJson(r.root), nodes: r.nodes, truncated: r.truncated };
}

function childCounts(n: FlowNode): string {
  const c = n.children;
  const parts = [
    c.pending > 0 ? `${c.pending} pending` : '',
    c.processed > 0 ? `${c.processed} processed` : '',
    c.failed > 0 ? `${c.failed} failed` : '',
    c.ignored > 0 ? `${c.ignored} ignored` : '',
  ].filter(Boolean);
  return parts.length > 0 ? `  children: ${parts.join(' · ')}` : '';
}

/** One line per job, drawn as a tree; the job asked for is marked. */
export function renderFlow(r: FlowResult): string {
  const out = [`queues flow  ${r.asked}  ${r.target}`, ''];
  const walk = (n: FlowNode, lead: string, branch: string): void => {
    const mark = n.key === r.asked ? '  ◀ asked' : '';
    out.push(`${lead}${branch}${n.name ?? '(no name)'}  ${n.key}  ${n.state}${childCounts(n)}${mark}`);
    const next = lead + (branch === '' ? '' : branch === '└─ ' ? '   ' : '│  ');
    n.nodes.forEach((c, i) => walk(c, next, i === n.nodes.length - 1 && n.more === 0 ? '└─ ' : '├─ '));
    if (n.more > 0) out.push(`${next}└─ … ${n.more} more not shown (--children, --depth)`);
  };
  walk(r.root, '  ', '');
  out.push(
    '',
    `  ${r.nodes} job${r.nodes === 1 ? '' : 's'} read${r.truncated ? '; some children are counted, not shown' : ''}`,
  );
  return out.join('\n');
}
