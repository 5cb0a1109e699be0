import { useMe } from '@/lib/auth';

import { useLogout } from '../api/session';

export function UserMenu() {
  const { data } = useMe();
  const logout = useLogout();
  if (!data?.username) return null;
  const role = data.roles.includes('operator') ? 'operator' : 'viewer';
  return (
    <div className="user-menu">
      <span>
        {data.username} <span className={`role role-${role}`}>{role}</span>
      </span>
      <button type="button" className="btn small" onClick={() => logout.mutate()}>
        Sign out
      </button>
    </div>
  );
}
