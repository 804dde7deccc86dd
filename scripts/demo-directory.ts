/** The demo staff directory: fake people, the same in demo/staff.csv and the playground configs. */
export const DEMO_STAFF = [
  { id: '6f1c2a4e-0001-4b7a-9c1e-000000000001', name: 'Helen Carter', roles: 'line_manager', manager: '' },
  { id: '6f1c2a4e-0002-4b7a-9c1e-000000000002', name: 'Priya Shah', roles: 'line_manager', manager: '0001' },
  { id: '6f1c2a4e-0003-4b7a-9c1e-000000000003', name: 'Tom Hughes', roles: 'line_manager', manager: '0001' },
  { id: '6f1c2a4e-0004-4b7a-9c1e-000000000004', name: 'Sam Taylor', roles: 'case_worker', manager: '0002' },
  { id: '6f1c2a4e-0005-4b7a-9c1e-000000000005', name: 'Jo Patel', roles: 'case_worker', manager: '0002' },
  { id: '6f1c2a4e-0006-4b7a-9c1e-000000000006', name: 'Alex Morgan', roles: 'case_worker', manager: '0002' },
  { id: '6f1c2a4e-0007-4b7a-9c1e-000000000007', name: 'Chris Okafor', roles: 'case_worker', manager: '0003' },
  {
    id: '6f1c2a4e-0008-4b7a-9c1e-000000000008',
    name: 'Rosa Lind',
    roles: 'case_worker;line_manager',
    manager: '0003',
  },
  {
    id: '6f1c2a4e-0009-4b7a-9c1e-000000000009',
    name: 'Morgan Ellis',
    roles: 'records_management',
    manager: '0001',
  },
  {
    id: '6f1c2a4e-0010-4b7a-9c1e-000000000010',
    name: 'Dana Fox',
    roles: 'records_management',
    manager: '0001',
  },
];

/** The people a newcomer can be in the local demo, each in their own Agents Playground. */
export const DEMO_PERSONAS = [
  { key: 'case-worker', name: 'Sam Taylor', role: 'case worker', port: 56150 },
  { key: 'line-manager', name: 'Priya Shah', role: 'Sam’s line manager', port: 56151 },
  { key: 'records-management', name: 'Morgan Ellis', role: 'Records Management officer', port: 56152 },
  { key: 'records-management-2', name: 'Dana Fox', role: 'second Records Management officer', port: 56153 },
] as const;

export const DEMO_TENANT = '00000000-0000-4000-8000-0000000000a0';
