import TestSupport
import Testing

@testable import Delivery

@Suite("Intake keeps the header whole and the body as a bounded prefix")
struct HeaderSplitterTests {
    func split(_ bytes: [UInt8], chunk: Int, headerLimit: Int = 1 << 20, bodyLimit: Int = 1 << 20) -> HeaderSplitter {
        var splitter = HeaderSplitter(maximumHeaderBytes: headerLimit, bodyPrefixLimit: bodyLimit)
        var index = 0
        while index < bytes.count {
            splitter.consume(Array(bytes[index..<min(bytes.count, index + chunk)]))
            index += chunk
        }
        return splitter
    }

    @Test("the header ends with its blank line, wherever the chunks break", arguments: [1, 2, 3, 5, 11, 4096])
    func blankLine(_ chunk: Int) {
        let result = split(message("A: 1", " folded", "B: 2", "", "body", "", "more"), chunk: chunk)
        #expect(result.header == message("A: 1", " folded", "B: 2", "", ""))
        #expect(result.bodyPrefix == message("body", "", "more"))
        #expect(result.size == message("A: 1", " folded", "B: 2", "", "body", "", "more").count)
    }

    @Test("a message without a blank line is all header; one starting with it has none", arguments: [1, 4, 4096])
    func edges(_ chunk: Int) {
        #expect(split(message("A: 1", "no body"), chunk: chunk).bodyPrefix.isEmpty)
        let bodyOnly = split(message("", "body"), chunk: chunk)
        #expect(bodyOnly.header == message("", ""))
        #expect(bodyOnly.bodyPrefix == message("body"))
    }

    @Test("past the header bound the rest is body; the body prefix is bounded", arguments: [1, 7, 4096])
    func bounds(_ chunk: Int) {
        let long = Array(repeating: UInt8(ascii: "h"), count: 100) + message("", "", "") + Array(repeating: 98, count: 50)
        let result = split(long, chunk: chunk, headerLimit: 40, bodyLimit: 10)
        #expect(result.header.count == 40)
        #expect(result.bodyPrefix == Array(repeating: UInt8(ascii: "h"), count: 10))
        #expect(result.size == long.count)
    }
}
