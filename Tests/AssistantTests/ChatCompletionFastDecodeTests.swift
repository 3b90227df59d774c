import Foundation
import Testing

@testable import Assistant

@Suite struct ChatCompletionFastDecodeTests {
    private static func summary(_ response: ChatCompletionResponse) -> String {
        let choices = response.choices.map { choice in
            "\(choice.index.map(String.init) ?? "-")|\(choice.finishReason ?? "-")|\(choice.message.role)|"
                + "\(choice.message.content ?? "<nil>")|\(choice.message.toolCallID ?? "-")|"
                + "\(choice.message.toolCalls?.count ?? -1)"
        }
        let usage = response.usage.map { "\($0.promptTokens)/\($0.completionTokens)/\($0.totalTokens)" } ?? "-"
        return "\(response.id ?? "-")|\(response.model ?? "-")|\(choices)|\(usage)"
    }

    @Test(
        "the fast path reads common shapes exactly as JSONDecoder does",
        arguments: [
            #"{"id":"c1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Hi \"you\" é\n","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}"#,
            #"{"choices":[{"message":{"role":"assistant","content":null}}]}"#,
            #"{"choices":[{"message":{"role":"assistant","content":5,"tool_calls":null}}],"usage":{"prompt_tokens":"x","total_tokens":null}}"#,
            #"{"choices":[],"usage":null,"id":null}"#,
            #"{"choices":[{"index":1,"message":{"role":"tool","content":"r","tool_call_id":"call_1"},"finish_reason":null}]}"#,
        ])
    func agreesWithDecoder(_ body: String) throws {
        let fast = try #require(ChatCompletionResponse.fastDecoded(from: Array(body.utf8)))
        let slow = try JSONDecoder().decode(ChatCompletionResponse.self, from: Data(body.utf8))
        #expect(Self.summary(fast) == Self.summary(slow))
    }

    @Test(
        "shapes the fast path leaves to JSONDecoder",
        arguments: [
            #"{"choices":[{"message":{"role":"assistant","content":null,"tool_calls":[{"id":"a","type":"function","function":{"name":"t","arguments":"{}"}}]}}]}"#,
            #"{"choices":[{"message":{"role":"assistant","content":[{"type":"text","text":"a"}]}}]}"#,
            #"{"choices":[{"index":"0","message":{"role":"assistant","content":"x"}}]}"#,
            #"{"choices":[{"message":{"content":"x"}}]}"#, #"{"id":"x"}"#, #"{"choices":[1]}"#,
            #"{"choices":[],"usage":{"prompt_tokens":1.0}}"#, #"{"choices":[],"usage":[]}"#, "[]", "",
        ])
    func fallsBack(_ body: String) {
        #expect(ChatCompletionResponse.fastDecoded(from: Array(body.utf8)) == nil)
    }
}
