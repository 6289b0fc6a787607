-- Fixpoint for Neovim (0.7 and later): ask for a fix, watch it, read the diff, accept or reject it.
--
--   set rtp+=/path/to/fixpoint/editors/neovim
--   lua require("fixpoint").setup({ cmd = { "fixpoint", "serve" }, init_options = { maxSteps = 100 } })
--
-- :FixpointFix [issue]  (no argument: the diagnostic under the cursor, or the visual selection)
-- :FixpointCancel  :FixpointLog  :FixpointAccept  :FixpointReject
-- Statusline: %{v:lua.require'fixpoint'.statusline()}
local lsp = require("fixpoint.lsp")
local ui = require("fixpoint.ui")

local M = {}

M.config = {
  cmd = { "fixpoint", "serve" },
  cmd_env = nil,
  init_options = {}, -- modelUrl, model, testCommand, maxSteps, heavy (docs/protocol.md)
  autostart = true, -- start the server when a file of a git repository is opened
  echo_progress = true, -- show progress in the echo area (the statusline function works either way)
}

--- The run this editor started last: { client, root, request_id, run_id, state, report, diff }.
--- state: "running" | "cancelling" | "cancelled" | "preview" | "applied" | "rejected" | "done" | "failed"
M.run = nil

local function fixpoint_error(err)
  local message = type(err) == "table" and (err.message or vim.inspect(err)) or tostring(err)
  return message
end

function M.statusline()
  return ui.status
end

local function set_state(state, status, level)
  if M.run then
    M.run.state = state
  end
  ui.set_status(status, M.config.echo_progress)
  if level then
    ui.notify(status, level)
  end
end

-- Server → client messages ---------------------------------------------------------------

local handlers = {}

handlers["fixpoint/step"] = function(_, step)
  if not step then
    return
  end
  local run = M.run
  if step.kind == "run_end" and step.outcome == "cancelled" and run and (run.run_id or step.runId) == step.runId
    and (run.state == "running" or run.state == "cancelling") then
    -- Neovim drops the -32800 answer of a cancelled request without calling its handler.
    set_state("cancelled", "Fixpoint: cancelled; nothing was changed", vim.log.levels.INFO)
  elseif run and run.state == "running" and step.kind ~= "run_end" then
    run.run_id = run.run_id or step.runId
    run.steps = (run.steps or 0) + 1
    if not run.has_progress then -- clients without $/progress still see where the run is
      ui.set_status(string.format("Fixpoint %s: step %d/%d · %s", step.runId, step.step, step.maxSteps, step.summary or step.kind), M.config.echo_progress)
    end
  end
  ui.append_log(ui.step_line(step))
end

handlers["$/progress"] = function(err, result, ctx, config)
  local value = result and result.value
  local run = M.run
  if type(value) == "table" and value.kind and run and (run.state == "running" or run.state == "cancelling") then
    run.has_progress = true
    run.progress = run.progress or {}
    table.insert(run.progress, value)
    local text = "Fixpoint: " .. (value.message or value.title or "")
    if value.kind ~= "end" and value.percentage then
      text = string.format("Fixpoint %d%%: %s", value.percentage, value.message or "")
    end
    ui.set_status(text, M.config.echo_progress)
  end
  -- Keep Neovim's own progress tracking (0.7: `User LspProgressUpdate`; later: `LspProgress`).
  local default = vim.lsp.handlers["$/progress"]
  if default then
    pcall(default, err, result, ctx, config)
  end
end

-- Commands -----------------------------------------------------------------------------------

local function request(run, command, argument, callback)
  return lsp.call(run.client, "request", "workspace/executeCommand", { command = command, arguments = { argument } }, callback, run.bufnr)
end

--- Calls `fn` once the client has answered `initialize` (a request sent earlier has no folder yet).
local function when_ready(client, fn, waited)
  waited = waited or 0
  if client.initialized then
    return fn()
  end
  if waited > 30000 then
    return ui.notify("the server did not start within 30 s (see :LspInfo / the LSP log)", vim.log.levels.ERROR)
  end
  vim.defer_fn(function()
    when_ready(client, fn, waited + 50)
  end, 50)
end

--- The issue text when :FixpointFix has no argument: the selected lines, or the diagnostic under the cursor.
local function issue_from_context(opts, bufnr)
  local file = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ":.")
  if opts.range and opts.range > 0 then
    local lines = vim.api.nvim_buf_get_lines(bufnr, opts.line1 - 1, opts.line2, false)
    return table.concat(lines, "\n") .. string.format("\n\n(selected in %s, lines %d-%d)", file, opts.line1, opts.line2)
  end
  local cursor = vim.api.nvim_win_get_cursor(0)
  local found
  for _, d in ipairs(vim.diagnostic.get(bufnr, { lnum = cursor[1] - 1 })) do
    if not found or (d.col <= cursor[2] and cursor[2] <= (d.end_col or d.col)) then
      found = d
    end
  end
  if not found then
    return nil
  end
  local source = found.source and (found.source .. ": ") or ""
  return string.format("%s:%d:%d: %s%s", file, found.lnum + 1, found.col + 1, source, found.message)
end

function M.fix(issue, opts)
  opts = opts or {}
  local bufnr = vim.api.nvim_get_current_buf()
  if M.run and (M.run.state == "running" or M.run.state == "cancelling") then
    return ui.notify("a run is in progress (:FixpointCancel stops it)", vim.log.levels.WARN)
  end
  if not issue or issue:match("^%s*$") then
    issue = issue_from_context(opts, bufnr)
  end
  if not issue then
    return ui.notify("say what to fix: :FixpointFix <issue>, or put the cursor on a diagnostic, or select text", vim.log.levels.ERROR)
  end
  local client, root = lsp.attach(bufnr, M.config, handlers)
  if not client then
    return ui.notify(root, vim.log.levels.ERROR)
  end
  ui.close_preview()
  local run = { client = client, root = root, bufnr = bufnr, state = "running", issue = issue }
  M.run = run
  ui.set_status("Fixpoint: starting in " .. root, M.config.echo_progress)
  when_ready(client, function()
    local _, request_id = request(run, "fixpoint.fixIssue", { issue = issue, uri = vim.uri_from_bufnr(bufnr) }, function(err, report)
      if M.run ~= run then
        return
      end
      if err then
        if err.code == -32800 then
          set_state("cancelled", "Fixpoint: cancelled; nothing was changed", vim.log.levels.INFO)
        else
          set_state("failed", "Fixpoint: " .. fixpoint_error(err), vim.log.levels.ERROR)
        end
        return
      end
      run.report = report
      if (report.status == "verified" or report.status == "unverified") and report.patch and report.patch ~= "" then
        M.show_diff(run)
      else
        local reason = report.error or ("ended: " .. tostring(report.end_reason))
        set_state("done", string.format("Fixpoint: %s (%s)", report.status, reason), vim.log.levels.WARN)
      end
    end)
    run.request_id = request_id
  end)
end

--- Asks the server for the finished run's diff and opens the preview.
function M.show_diff(run)
  request(run, "fixpoint.proposedDiff", { runId = run.run_id }, function(err, diff)
    if err then
      return set_state("failed", "Fixpoint: no diff: " .. fixpoint_error(err), vim.log.levels.ERROR)
    end
    run.run_id = diff.runId
    run.diff = diff
    run.state = "preview"
    ui.open_preview(diff, M.accept, M.reject)
    ui.set_status("Fixpoint " .. diff.runId .. ": " .. diff.summary .. " — a: accept, r: reject", M.config.echo_progress)
  end)
end

--- Reloads unmodified buffers of files the server wrote.
local function reload(root, paths)
  for _, path in ipairs(paths) do
    local buf = vim.fn.bufnr(root .. "/" .. path)
    if buf > 0 and vim.api.nvim_buf_is_loaded(buf) and not vim.bo[buf].modified then
      vim.api.nvim_buf_call(buf, function()
        vim.cmd("silent edit")
      end)
    end
  end
end

function M.accept()
  local run = M.run
  if not (run and run.state == "preview") then
    return ui.notify("no diff to accept", vim.log.levels.WARN)
  end
  request(run, "fixpoint.applyFix", { runId = run.run_id }, function(err, result)
    if err then
      return set_state("failed", "Fixpoint: not applied: " .. fixpoint_error(err), vim.log.levels.ERROR)
    end
    ui.close_preview()
    reload(run.root, result.applied or {})
    local skipped = #(result.skipped or {}) > 0 and string.format(" (%d skipped)", #result.skipped) or ""
    set_state("applied", string.format("Fixpoint %s: applied to %s%s", run.run_id, table.concat(result.applied or {}, ", "), skipped), vim.log.levels.INFO)
  end)
end

function M.reject()
  local run = M.run
  if not (run and run.state == "preview") then
    return ui.notify("no diff to reject", vim.log.levels.WARN)
  end
  ui.close_preview()
  set_state("rejected", "Fixpoint " .. run.run_id .. ": rejected; nothing was written", vim.log.levels.INFO)
end

function M.cancel()
  local run = M.run
  if not (run and run.state == "running") then
    return ui.notify("no run in progress", vim.log.levels.WARN)
  end
  run.state = "cancelling"
  ui.set_status("Fixpoint: cancelling…", M.config.echo_progress)
  -- Without a run id yet (no step arrived), every run of this repository's server is cancelled.
  request(run, "fixpoint.cancel", run.run_id and { runId = run.run_id } or {}, function(err)
    if err then
      ui.notify("cancel: " .. fixpoint_error(err), vim.log.levels.WARN)
    end
  end)
end

function M.setup(opts)
  M.config = vim.tbl_deep_extend("force", M.config, opts or {})
  local command = vim.api.nvim_create_user_command
  command("FixpointFix", function(o)
    M.fix(o.args, o)
  end, { nargs = "*", range = true, desc = "Fixpoint: fix an issue (argument, diagnostic under the cursor, or selection)" })
  command("FixpointCancel", M.cancel, { desc = "Fixpoint: cancel the run" })
  command("FixpointLog", ui.open_log, { desc = "Fixpoint: open the live step log" })
  command("FixpointAccept", M.accept, { desc = "Fixpoint: write the previewed fix to disk" })
  command("FixpointReject", M.reject, { desc = "Fixpoint: discard the previewed fix" })
  local group = vim.api.nvim_create_augroup("fixpoint", { clear = true })
  if M.config.autostart then
    vim.api.nvim_create_autocmd({ "BufReadPost", "BufNewFile" }, {
      group = group,
      callback = function(args)
        if lsp.root_of(vim.api.nvim_buf_get_name(args.buf)) then
          lsp.attach(args.buf, M.config, handlers)
        end
      end,
    })
  end
end

M.handlers = handlers
M.ui = ui
M.lsp = lsp
return M
