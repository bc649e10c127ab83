-- pm lsp end to end in a real client: Debian's Neovim (0.7 in bookworm,
-- so `vim.lsp.start_client` and `request_sync`, not 0.8's `vim.lsp.start`).
--   PM=target/debug/pm PM_FILE=pst-in-june.yaml nvim --headless --clean -c 'luafile .ci/nvim/e2e.lua'
-- Exits 0 when every check passes, 1 (with the reason on stderr) otherwise.

local function fail(message)
  io.stderr:write('nvim e2e: FAILED: ' .. message .. '\n')
  vim.cmd('cquit 1')
end

local function check(condition, message)
  if not condition then
    fail(message)
  end
end

-- Client methods: fields called with `.` through 0.10, methods from 0.11.
local function call(client, name, ...)
  if vim.fn.has('nvim-0.11') == 1 then
    return client[name](client, ...)
  end
  return client[name](...)
end

local ok, err = pcall(function()
  local pm = assert(os.getenv('PM'), 'set PM to the pm binary')
  local file = assert(os.getenv('PM_FILE'), 'set PM_FILE to the postmortem')
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = 'pm',
    cmd = { pm, 'lsp' },
    root_dir = vim.fn.fnamemodify(file, ':p:h'),
  })
  check(client_id, 'the client did not start')
  vim.lsp.buf_attach_client(buf, client_id)
  local client = vim.lsp.get_client_by_id(client_id)

  -- The diagnostic for PST in June: its rule and range.
  local found
  vim.wait(15000, function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      local lsp = d.user_data and d.user_data.lsp or d
      if lsp.code == 'abbreviation-mismatch' then
        found = d
        return true
      end
    end
    return false
  end, 50)
  check(found, 'no abbreviation-mismatch diagnostic; got ' .. vim.inspect(vim.diagnostic.get(buf)))
  check(found.lnum == 5 and found.col == 9 and found.end_lnum == 5 and found.end_col == 29,
    'the range is ' .. vim.inspect({ found.lnum, found.col, found.end_lnum, found.end_col }))
  check(found.severity == vim.diagnostic.severity.ERROR, 'not an error')
  check(found.source == 'pm', 'source ' .. tostring(found.source))

  -- Hover on `end: 2023-06-10 16:30` (line 7): the UTC instant.
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(buf),
    position = { line = 6, character = 12 },
  }
  local response = call(client, 'request_sync', 'textDocument/hover', params, 10000, buf)
  check(response and response.result, 'no hover: ' .. vim.inspect(response))
  local hover = response.result.contents.value
  check(hover:find('2023-06-10 23:30 UTC', 1, true), 'hover: ' .. hover)

  -- The quick fix for `kidn` (line 16), applied to the buffer.
  local range = { start = { line = 15, character = 5 }, ['end'] = { line = 15, character = 5 } }
  response = call(client, 'request_sync', 'textDocument/codeAction', {
    textDocument = vim.lsp.util.make_text_document_params(buf),
    range = range,
    context = { diagnostics = {} },
  }, 10000, buf)
  check(response and response.result and #response.result == 1, 'code actions: ' .. vim.inspect(response))
  local action = response.result[1]
  check(action.isPreferred == true, 'not preferred')
  vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
  local line = vim.api.nvim_buf_get_lines(buf, 15, 16, true)[1]
  check(line == '    kind: detected', 'line 16 is ' .. vim.inspect(line))

  -- And the server sees the edit: the unknown field is gone.
  vim.wait(15000, function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      local lsp = d.user_data and d.user_data.lsp or d
      if lsp.code == 'unknown-field' then
        return false
      end
    end
    return true
  end, 50)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = d.user_data and d.user_data.lsp or d
    check(lsp.code ~= 'unknown-field', 'unknown-field still reported after the fix')
  end

  call(client, 'stop')
  vim.wait(5000, function() return call(client, 'is_stopped') end, 50)
end)

if not ok then
  fail(tostring(err))
end
io.stdout:write('nvim e2e: diagnostic, hover and code action: 3 passed, 0 failed\n')
vim.cmd('qa!')
