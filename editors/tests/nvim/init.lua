-- Headless Neovim test of the Fixpoint plugin against a real `fixpoint serve` and a scripted model.
-- Run by editors/tests/test_editors.py:
--   nvim --headless -u editors/tests/nvim/init.lua
-- Environment: FIXPOINT_TEST_SCENARIO (accept | reject | cancel), FIXPOINT_TEST_REPO (a git copy of
-- fixtures/python-bug whose fixpoint.toml points at the scripted model), FIXPOINT_TEST_SERVER (the
-- server command, space-separated), FIXPOINT_TEST_MODEL_LOG (a line per chat request the model got),
-- FIXPOINT_TEST_RESULT (JSON written here: what the editor saw).
-- Exits 0 when every check in the editor passed; the harness then checks the files on disk.
local here = vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h")
vim.opt.runtimepath:append(vim.fn.fnamemodify(here, ":h:h") .. "/neovim")
vim.o.swapfile = false
vim.o.shortmess = vim.o.shortmess .. "F"

local env = vim.env
local scenario = env.FIXPOINT_TEST_SCENARIO
local repo = env.FIXPOINT_TEST_REPO
local fixpoint = require("fixpoint")
fixpoint.setup({ cmd = vim.split(env.FIXPOINT_TEST_SERVER, " ", { trimempty = true }), echo_progress = true })

local seen = { scenario = scenario, nvim = tostring(vim.version()), checks = {} }
local failed = false

local function finish()
  seen.failed = failed
  seen.log = fixpoint.ui.log_lines
  seen.status = fixpoint.ui.status
  seen.progress = fixpoint.run and fixpoint.run.progress or {}
  local f = io.open(env.FIXPOINT_TEST_RESULT, "w")
  f:write(vim.fn.json_encode(seen))
  f:close()
  fixpoint.lsp.stop_all()
  vim.wait(2000, function()
    return fixpoint.lsp.running_clients() == 0
  end, 50)
  vim.cmd((failed and "cquit 1" or "qall!"))
end

local function check(ok, what)
  table.insert(seen.checks, (ok and "ok   " or "FAIL ") .. what)
  io.stderr:write((ok and "ok   " or "FAIL ") .. what .. "\n")
  if not ok then
    failed = true
  end
  return ok
end

local function wait_for(what, seconds, predicate)
  local ok = vim.wait(seconds * 1000, predicate, 50)
  if not check(ok, what) then
    seen.timed_out = what
    finish()
  end
end

local function lines_of(buf)
  return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
end

local function run()
  vim.cmd("edit " .. vim.fn.fnameescape(repo .. "/numbers_util.py"))
  local file_buf = vim.api.nvim_get_current_buf()
  wait_for("the server started for the repository and initialized", 30, function()
    local client = fixpoint.lsp.client_for(repo)
    return client ~= nil and client.initialized == true
  end)
  check(vim.lsp.buf_is_attached(file_buf, fixpoint.lsp.client_for(repo).id), "the file's buffer is attached to fixpoint")

  vim.cmd("FixpointLog")
  local log_buf = fixpoint.ui.log_buffer()
  check(vim.api.nvim_get_current_buf() == file_buf, ":FixpointLog leaves the cursor in the file")
  if scenario == "accept" then -- the issue in the user's words
    vim.cmd("FixpointFix is_even() gives the wrong answer: is_even(4) returns False. Fix it.")
  elseif scenario == "reject" then -- the diagnostic under the cursor
    local ns = vim.api.nvim_create_namespace("fixpoint-test")
    vim.diagnostic.set(ns, file_buf, { { lnum = 5, col = 4, end_col = 21, message = "test_is_even: is_even(4) returned False", source = "unittest" } })
    vim.api.nvim_win_set_cursor(0, { 6, 8 })
    vim.cmd("FixpointFix")
    check(fixpoint.run.issue == "numbers_util.py:6:5: unittest: test_is_even: is_even(4) returned False", "the issue is the diagnostic: " .. fixpoint.run.issue)
  else -- the selected lines
    vim.cmd("4,6FixpointFix")
    check(fixpoint.run.issue:find("def is_even(n):", 1, true) and fixpoint.run.issue:find("(selected in numbers_util.py, lines 4-6)", 1, true), "the issue is the selection: " .. fixpoint.run.issue)
  end

  if scenario == "cancel" then
    wait_for("the model got its first request", 30, function()
      return vim.fn.filereadable(env.FIXPOINT_TEST_MODEL_LOG) == 1
    end)
    wait_for("$/progress began", 10, function()
      return fixpoint.run.progress ~= nil and fixpoint.run.progress[1].kind == "begin"
    end)
    check(fixpoint.ui.status:find("Fixpoint", 1, true) ~= nil, "the statusline shows the run: " .. fixpoint.ui.status)
    vim.cmd("FixpointCancel")
    wait_for("the run ended as cancelled", 20, function()
      return fixpoint.run.state == "cancelled"
    end)
    local progress = fixpoint.run.progress
    check(progress[#progress].kind == "end" and progress[#progress].message == "cancelled", "progress ended with 'cancelled'")
    check(fixpoint.ui.preview() == nil, "no diff preview opened")
    check(not vim.bo[file_buf].modified and lines_of(file_buf):find("n % 2 == 1", 1, true) ~= nil, "the buffer is unchanged")
    return finish()
  end

  wait_for("the run finished and the diff preview opened", 90, function()
    return fixpoint.run.state ~= "running"
  end)
  check(fixpoint.run.state == "preview", "state is preview (got " .. fixpoint.run.state .. ")")
  local kinds = {}
  for _, p in ipairs(fixpoint.run.progress or {}) do
    kinds[p.kind] = (kinds[p.kind] or 0) + 1
  end
  check(kinds.begin == 1 and (kinds.report or 0) >= 3 and kinds["end"] == 1, "$/progress: begin, reports, end " .. vim.inspect(kinds))
  local log = lines_of(log_buf)
  check(log:find("[run-1] 0/20 tests_before", 1, true) ~= nil, "the log buffer has the tests before the run")
  check(log:find("tool_call edit_file", 1, true) ~= nil, "the log buffer filled live with the edit step")
  local preview = fixpoint.ui.preview()
  check(preview ~= nil and vim.bo[preview.buf].filetype == "diff", "a diff preview buffer is open")
  local diff = lines_of(preview.buf)
  check(diff:find("-    return n % 2 == 1", 1, true) and diff:find("+    return n % 2 == 0", 1, true), "the preview shows the change")
  check(diff:find("verified fix", 1, true) ~= nil, "the preview says the fix is verified")
  seen.preview = diff
  check(lines_of(file_buf):find("n % 2 == 1", 1, true) ~= nil, "nothing is written before accepting")

  if scenario == "accept" then
    vim.cmd("FixpointAccept")
    wait_for("the fix was applied", 20, function()
      return fixpoint.run.state ~= "preview"
    end)
    check(fixpoint.run.state == "applied", "state is applied (got " .. fixpoint.run.state .. "): " .. fixpoint.ui.status)
    check(lines_of(file_buf):find("n % 2 == 0", 1, true) ~= nil, "the open buffer was reloaded with the fix")
  else -- reject, with the preview's key
    vim.api.nvim_set_current_win(vim.fn.win_findbuf(preview.buf)[1])
    vim.api.nvim_feedkeys("r", "x", false)
    check(fixpoint.run.state == "rejected", "state is rejected (got " .. fixpoint.run.state .. ")")
    check(fixpoint.ui.preview() == nil, "the preview closed")
    check(lines_of(file_buf):find("n % 2 == 1", 1, true) ~= nil, "the buffer is unchanged")
  end
  finish()
end

vim.api.nvim_create_autocmd("VimEnter", {
  callback = function()
    vim.schedule(function()
      local ok, err = pcall(run)
      if not ok then
        check(false, "error: " .. tostring(err))
        finish()
      end
    end)
  end,
})
