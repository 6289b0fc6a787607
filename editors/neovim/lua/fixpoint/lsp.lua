-- Starting `fixpoint serve` per git repository and talking to it, on Neovim 0.7 and later.
-- 0.7 has no vim.lsp.start (start_client + buf_attach_client instead); 0.11 turned client
-- functions into methods (client:request), so every call goes through the helpers below.
local M = {}

local clients = {} -- root -> client id
local roots = {} -- directory -> git root (or false)

local has_method_calls = vim.fn.has("nvim-0.11") == 1

function M.call(client, name, ...)
  if has_method_calls then
    return client[name](client, ...)
  end
  return client[name](...)
end

--- The git repository holding `path` (a file or directory), or nil.
function M.root_of(path)
  local dir = vim.fn.isdirectory(path) == 1 and path or vim.fn.fnamemodify(path, ":h")
  if roots[dir] == nil then
    local out = vim.fn.systemlist({ "git", "-C", dir, "rev-parse", "--show-toplevel" })
    roots[dir] = (vim.v.shell_error == 0 and out[1] and out[1] ~= "") and out[1] or false
  end
  return roots[dir] or nil
end

--- The running client for `root`, if any.
function M.client_for(root)
  local id = clients[root]
  local client = id and vim.lsp.get_client_by_id(id)
  if client and not (client.is_stopped and M.call(client, "is_stopped")) then
    return client
  end
  clients[root] = nil
  return nil
end

--- Starts (or reuses) the server for the buffer's repository and attaches the buffer.
--- Returns the client and the root, or nil and a message.
function M.attach(bufnr, opts, handlers)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == "" or vim.bo[bufnr].buftype ~= "" then
    return nil, "this buffer is not a file"
  end
  local root = M.root_of(name)
  if not root then
    return nil, name .. " is not in a git repository (Fixpoint works on a repository)"
  end
  local client = M.client_for(root)
  if not client then
    local init_options = vim.tbl_extend("force", opts.init_options or {}, { previewEdits = true })
    local config = {
      name = "fixpoint",
      cmd = opts.cmd,
      cmd_env = opts.cmd_env,
      root_dir = root,
      workspace_folders = { { uri = vim.uri_from_fname(root), name = vim.fn.fnamemodify(root, ":t") } },
      init_options = init_options,
      handlers = handlers,
      on_exit = function()
        clients[root] = nil
      end,
    }
    local id
    if vim.lsp.start then -- 0.8+: start and attach in one call
      id = vim.lsp.start(config, { bufnr = bufnr })
    else
      id = vim.lsp.start_client(config)
    end
    if not id then
      return nil, "could not start " .. table.concat(opts.cmd, " ")
    end
    clients[root] = id
    client = vim.lsp.get_client_by_id(id)
  end
  if not vim.lsp.buf_is_attached(bufnr, client.id) then
    vim.lsp.buf_attach_client(bufnr, client.id)
  end
  return client, root
end

--- The number of running LSP clients (any server).
function M.running_clients()
  return #(vim.lsp.get_clients and vim.lsp.get_clients() or vim.lsp.get_active_clients())
end

--- Stops every Fixpoint client (their runs are cancelled by the server on end of input).
function M.stop_all()
  for root, id in pairs(clients) do
    local client = vim.lsp.get_client_by_id(id)
    if client then
      M.call(client, "stop")
    end
    clients[root] = nil
  end
end

return M
