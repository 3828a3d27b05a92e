/** "512 B", "3.4 KB", "16.0 MB": a file's size as people read it. */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * A file name's stem people can read, from a title anyone could have typed: letters, digits,
 * dots and dashes, at most 80 characters; empty when nothing readable is left.
 */
export function readableFileBase(title: string): string {
  return (
    title
      .normalize('NFKD')
      // Accents come apart into combining marks; drop them so "Café" stays one word.
      .replace(/\p{M}/gu, '')
      .replace(/[^\w.-]+/g, '-')
      .replace(/-+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .slice(0, 80)
  );
}

/** A query result's CSV file name people can read, from a title anyone could have typed. */
export function csvFileName(title: string, queryId: number, resultId: number): string {
  return `${readableFileBase(title) || `query-${queryId}`}-${resultId}.csv`;
}
