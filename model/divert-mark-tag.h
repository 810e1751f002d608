/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef DIVERT_MARK_TAG_H
#define DIVERT_MARK_TAG_H

#include "ns3/tag.h"

namespace ns3
{

/**
 * \ingroup divert
 * \brief The packet mark of ipchains `-m`, carried on a packet as a packet tag.
 *
 * A rule with `-m N` sets the mark, `-m +N` / `-m -N` add to it; later rules
 * (`--mark` is not in ipchains 1.3.9, but traces and divert sockets see it)
 * and the divert socket can read it. A packet diverted and reinjected keeps
 * its mark: the stack remembers it with the diversion. An application may
 * also put this tag on a packet it sends on a divert socket.
 */
class DivertMarkTag : public Tag
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;

    DivertMarkTag();
    /**
     * \brief Construct with a mark.
     * \param mark the mark
     */
    explicit DivertMarkTag(uint32_t mark);

    /**
     * \brief Set the mark.
     * \param mark the mark
     */
    void SetMark(uint32_t mark);
    /**
     * \brief Get the mark.
     * \return the mark
     */
    uint32_t GetMark() const;

    uint32_t GetSerializedSize() const override;
    void Serialize(TagBuffer i) const override;
    void Deserialize(TagBuffer i) override;
    void Print(std::ostream& os) const override;

    /**
     * \brief Whether any packet of this process may carry the tag: true once
     * one was put on a packet (AddPacketTag serialises it). Until then the
     * stack need not look for a mark on every packet it walks the chains
     * with, a tag-list search each.
     * \return true if a mark tag was ever attached
     */
    static bool IsInUse();

  private:
    uint32_t m_mark; //!< the mark
};

} // namespace ns3

#endif /* DIVERT_MARK_TAG_H */
