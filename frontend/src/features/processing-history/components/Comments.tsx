import { useState, type FormEvent } from 'react';

import { ErrorMessage, Loading } from '@/components/ui/Feedback';
import { useIsOperator } from '@/lib/auth';
import { dateTime } from '@/lib/format';

import { useAddComment, useComments } from '../api/comments';

/** Comments on a process: everyone reads, operators write. */
export function Comments({ processId }: { processId: number }) {
  const comments = useComments(processId);
  const add = useAddComment(processId);
  const operator = useIsOperator();
  const [text, setText] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim()) add.mutate(text.trim(), { onSuccess: () => setText('') });
  };

  return (
    <div className="comments" aria-label={`Comments on process ${processId}`}>
      <h3>Comments</h3>
      {comments.isLoading && <Loading />}
      <ErrorMessage error={comments.error} />
      {comments.data?.length === 0 && <p className="muted">No comments.</p>}
      <ul>
        {comments.data?.map((c) => (
          <li key={c.id}>
            <span className="muted">
              {dateTime(c.created)} {c.author ?? 'unknown'}:
            </span>{' '}
            {c.text}
          </li>
        ))}
      </ul>
      {operator && (
        <form onSubmit={submit} className="comment-form">
          <label className="sr-only" htmlFor={`comment-${processId}`}>
            New comment
          </label>
          <input
            id={`comment-${processId}`}
            placeholder="Add a comment"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <button className="btn small" type="submit" disabled={add.isPending}>
            Comment
          </button>
          <ErrorMessage error={add.error} />
        </form>
      )}
    </div>
  );
}
