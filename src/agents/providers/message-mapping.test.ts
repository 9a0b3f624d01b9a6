import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { CompletionRequest } from '../../core/ports/model-provider.js';
import { buildAnthropicRequest, FINAL_ANSWER_TOOL, parseAnthropicResponse } from './anthropic-provider.js';
import { buildOpenAIRequest, parseOpenAIResponse } from './openai-provider.js';
import { parseToolArguments } from './provider-support.js';

const output = {
  name: 'review_result',
  schema: z.object({ summary: z.string() }),
  jsonSchema: z.toJSONSchema(z.object({ summary: z.string() })) as Record<string, unknown>,
};
const writeFile = { name: 'write_file', description: 'Write a file.', inputSchema: { type: 'object' } };

const conversation: CompletionRequest = {
  agent: 'review',
  system: 'Review.',
  tools: [writeFile],
  output,
  messages: [
    { role: 'user', content: 'task' },
    {
      role: 'assistant',
      content: '',
      toolCalls: [
        { id: 't1', name: 'write_file', arguments: { path: 'a.ts', content: '1' } },
        { id: 't2', name: 'write_file', arguments: {}, invalidArguments: { raw: '{"path":', error: 'eof' } },
      ],
    },
    { role: 'tool', toolCallId: 't1', name: 'write_file', content: 'ok', isError: false },
    { role: 'tool', toolCallId: 't2', name: 'write_file', content: 'bad args', isError: true },
  ],
};

describe('tool arguments', () => {
  it('keeps malformed or non-object arguments for the runner to send back', () => {
    expect(parseToolArguments('{"path":"a"}')).toEqual({ arguments: { path: 'a' } });
    expect(parseToolArguments('')).toEqual({ arguments: {} });
    expect(parseToolArguments('[1]')).toEqual({
      arguments: {},
      invalidArguments: { raw: '[1]', error: 'expected a JSON object' },
    });
    expect(parseToolArguments('{"path":').invalidArguments?.raw).toBe('{"path":');
  });
});

describe('Anthropic mapping', () => {
  it('puts consecutive tool results in one user turn, with is_error', () => {
    const body = buildAnthropicRequest(conversation, 'claude-haiku-4-5', 1000);
    expect(body.messages).toHaveLength(3);
    expect(body.messages[2]).toEqual({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 't1', content: 'ok' },
        { type: 'tool_result', tool_use_id: 't2', content: 'bad args', is_error: true },
      ],
    });
    expect(body.tool_choice).toBeUndefined();
  });

  it('forces final_answer once the model tried to finish and was asked to correct it', () => {
    const body = buildAnthropicRequest(
      {
        ...conversation,
        messages: [
          { role: 'user', content: 'task' },
          { role: 'assistant', content: 'Looks good!', toolCalls: [] },
          { role: 'user', content: 'The final answer must be a single JSON document.' },
        ],
      },
      'claude-haiku-4-5',
      1000,
    );
    expect(body.tool_choice).toEqual({ type: 'tool', name: FINAL_ANSWER_TOOL });
  });

  it('wraps a non-object output schema, and unwraps the answer', () => {
    const list = z.array(z.string());
    const request: CompletionRequest = {
      agent: 'x',
      system: 's',
      tools: [],
      messages: [{ role: 'user', content: 'go' }],
      output: { name: 'list', schema: list, jsonSchema: z.toJSONSchema(list) as Record<string, unknown> },
    };
    const body = buildAnthropicRequest(request, 'm', 10);
    expect(body.tools?.[0]).toMatchObject({ input_schema: { type: 'object', required: ['result'] } });
    const response = parseAnthropicResponse(
      {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'm',
        content: [{ type: 'tool_use', id: 'tu', name: FINAL_ANSWER_TOOL, input: { result: ['a'] } }],
        stop_reason: 'tool_use',
        stop_sequence: null,
        usage: { input_tokens: 3, output_tokens: 4, cache_read_input_tokens: 5 },
      } as unknown as Parameters<typeof parseAnthropicResponse>[0],
      request,
      'm',
    );
    expect(response).toMatchObject({ content: '["a"]', toolCalls: [], stopReason: 'end' });
    expect(response.usage).toEqual({ inputTokens: 8, outputTokens: 4 });
  });
});

describe('OpenAI mapping', () => {
  it('echoes malformed arguments verbatim and marks tool errors in the text', () => {
    const body = buildOpenAIRequest(conversation, 'gpt-4.1', undefined);
    expect(body.messages[2]).toMatchObject({
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: 't1', function: { arguments: '{"path":"a.ts","content":"1"}' } },
        { id: 't2', function: { arguments: '{"path":' } },
      ],
    });
    expect(body.messages[4]).toEqual({ role: 'tool', tool_call_id: 't2', content: 'Error: bad args' });
    expect(body).not.toHaveProperty('max_completion_tokens');
  });

  it('estimates usage when a compatible server reports none', () => {
    const completion = {
      id: 'c',
      object: 'chat.completion',
      created: 0,
      model: 'llama3.1',
      choices: [
        {
          index: 0,
          finish_reason: 'length',
          logprobs: null,
          message: { role: 'assistant', content: 'x'.repeat(40), refusal: null },
        },
      ],
    } as unknown as ChatCompletion;
    const response = parseOpenAIResponse(completion, conversation, 'llama3.1');
    expect(response.stopReason).toBe('max_tokens');
    expect(response.usage.inputTokens).toBeGreaterThan(0);
    expect(response.usage.outputTokens).toBe(10);
  });
});
